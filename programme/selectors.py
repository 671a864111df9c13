"""Reads of programme settings."""

import datetime

from programme.models import MciRate, Stream


def mci_on(day: datetime.date) -> int:
    """The MCI in tenge in force on the day: the latest value that took effect on or before it."""
    rate = MciRate.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
    if rate is None:
        raise LookupError(f"No MCI value is in force on {day:%Y-%m-%d}.")
    return rate.value_tenge


def stream_open_for(district, day: datetime.date) -> Stream | None:
    """The stream taking applications from the district on the day, if any."""
    return Stream.objects.for_district(district).open_on(day).select_related("year").order_by("course_start").first()


def next_stream_for(district, day: datetime.date) -> Stream | None:
    """The next stream whose application window opens after the day, for the district."""
    return (
        Stream.objects.for_district(district)
        .filter(application_opens__gt=day)
        .select_related("year")
        .order_by("application_opens")
        .first()
    )
