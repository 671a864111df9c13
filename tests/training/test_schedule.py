"""Teaching days from a start date, skipping Sundays and public holidays, with the modules in order."""

import datetime
from collections import Counter

import pytest

from tests.training.helpers import holiday
from training.schedule import days_off, module_for_day, teaching_dates

pytestmark = pytest.mark.django_db

date = datetime.date


def test_twenty_five_teaching_days_from_a_monday_without_holidays_span_twenty_nine_calendar_days():
    start = date(2027, 2, 1)  # a Monday
    dates = teaching_dates(start, 25, days_off(start, date(2027, 4, 1)))

    assert len(dates) == len(set(dates)) == 25
    assert dates[0] == start
    assert dates[-1] == date(2027, 3, 1)  # 25 days and the four Sundays between: 29 calendar days
    assert (dates[-1] - dates[0]).days + 1 == 29
    assert [d for d in dates if d.weekday() == 6] == []
    assert dates == sorted(dates)


def test_teaching_days_skip_sundays_yearly_holidays_and_this_years_one_off_holidays():
    holiday(5, 7, name="Defender of the Fatherland Day")
    holiday(5, 9, name="Victory Day")
    holiday(5, 27, year=2026, name="Kurban Ait")
    holiday(5, 5, year=2027, name="Kurban Ait 2027 (a made-up date)")  # another year's: 5 May 2026 is a working day
    start = date(2026, 5, 4)  # a Monday

    off = days_off(start, start + datetime.timedelta(days=60))
    dates = teaching_dates(start, 25, off)

    assert off == {date(2026, 5, 7), date(2026, 5, 9), date(2026, 5, 27)}
    assert not {date(2026, 5, 7), date(2026, 5, 9), date(2026, 5, 27)} & set(dates)
    assert date(2026, 5, 5) in dates
    assert [d for d in dates if d.weekday() == 6] == []
    assert dates[-1] == date(2026, 6, 4)  # 29 days pushed on by the three days off


def test_yearly_holidays_count_in_every_year_of_a_course_over_new_year():
    holiday(1, 1, name="New Year")
    holiday(1, 2, name="New Year")
    holiday(12, 16, name="Independence Day")
    holiday(12, 31, year=2025, name="A day off in 2025 only")

    off = days_off(date(2026, 12, 1), date(2027, 1, 31))

    assert off == {date(2026, 12, 16), date(2027, 1, 1), date(2027, 1, 2)}


def test_a_yearly_holiday_on_the_29th_of_february_is_skipped_in_a_common_year():
    holiday(2, 29, name="Leap day")

    assert days_off(date(2027, 2, 1), date(2028, 3, 31)) == {date(2028, 2, 29)}


def test_a_start_on_a_sunday_or_holiday_moves_to_the_next_teaching_day():
    assert teaching_dates(date(2027, 1, 31), 1, set()) == [date(2027, 2, 1)]  # Sunday 31 January
    assert teaching_dates(date(2027, 2, 1), 1, {date(2027, 2, 1)}) == [date(2027, 2, 2)]


@pytest.mark.parametrize(("days", "sizes"), [(25, {2, 3}), (20, {1, 2}), (24, {2}), (12, {1}), (36, {3})])
def test_twelve_modules_are_spread_evenly_over_the_days_in_order(days, sizes):
    modules = [module_for_day(n, days, 12) for n in range(1, days + 1)]

    assert modules[0] == 1
    assert modules[-1] == 12
    assert modules == sorted(modules)
    counts = Counter(modules)
    assert sorted(counts) == list(range(1, 13))  # no module left out
    assert set(counts.values()) == sizes


def test_over_twenty_five_days_each_module_gets_two_or_three_days():
    modules = [module_for_day(n, 25, 12) for n in range(1, 26)]

    # The modules in order, each on consecutive days: the first module takes the spare (third) day.
    assert modules == [1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12]
    counts = Counter(modules)
    assert sorted(counts) == list(range(1, 13))
    assert sorted(counts.values()) == [2] * 11 + [3]
    runs = [m for i, m in enumerate(modules) if i == 0 or modules[i - 1] != m]
    assert runs == list(range(1, 13))  # no module comes back after another one started
