"""Building a group's schedule: teaching days from a start date, skipping Sundays and holidays,
with the modules spread over them in order."""

import datetime

from programme.models import Holiday


def days_off(start: datetime.date, end: datetime.date) -> set[datetime.date]:
    """Public holidays between the dates: yearly fixed dates and one-off dated rows."""
    off = set()
    for holiday in Holiday.objects.filter(year__isnull=True) | Holiday.objects.filter(
        year__gte=start.year, year__lte=end.year
    ):
        for year in range(start.year, end.year + 1):
            if holiday.year not in (None, year):
                continue
            try:
                day = datetime.date(year, holiday.month, holiday.day)
            except ValueError:  # 29 February in a common year
                continue
            if start <= day <= end:
                off.add(day)
    return off


def is_teaching_day(day: datetime.date, off: set[datetime.date]) -> bool:
    return day.weekday() != 6 and day not in off  # Sunday is 6


def teaching_dates(start: datetime.date, count: int, off: set[datetime.date]) -> list[datetime.date]:
    """The first `count` teaching days from `start` on."""
    dates, day = [], start
    while len(dates) < count:
        if is_teaching_day(day, off):
            dates.append(day)
        day += datetime.timedelta(days=1)
    return dates


def module_for_day(ordinal: int, days: int, modules: int) -> int:
    """Module number (1-based) of teaching day `ordinal` (1-based): modules in order, spread evenly,
    each getting days // modules or one more."""
    return (ordinal - 1) * modules // days + 1
