"""What the training tests share: holidays, groups built through the services, placing by hand."""

import datetime

from programme.models import Holiday
from training import services

NOW = datetime.datetime(2026, 12, 1, 4, 0, tzinfo=datetime.UTC)
MONDAY = datetime.date(2026, 12, 7)  # the course start of tests.factories.StreamFactory


def holiday(month: int, day: int, year: int | None = None, name: str = "Мереке") -> Holiday:
    """A day off: every year on its date (year None) or in one year only."""
    return Holiday.objects.create(name_kk=name, name_ru=name, name_en=name, month=month, day=day, year=year)


def make_group(actor, stream, name="Group A", *, course_start=MONDAY, capacity=30, trainers=(), place="Akimat hall"):
    return services.group_create(
        actor=actor,
        stream=stream,
        name=name,
        place=place,
        course_start=course_start,
        capacity=capacity,
        trainers=list(trainers),
    )


def put(actor, group, applications) -> None:
    """Place participants in the group by hand, as the Chamber does from the group page."""
    for application in applications:
        services.member_move(actor=actor, application_id=application.pk, group_id=group.pk)
