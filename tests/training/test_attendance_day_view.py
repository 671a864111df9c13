"""The day view of the attendance (`?day=YYYY-MM-DD`): the day a phone opens, the previous and next
class days, a message (never a 500) for a day the course does not have, and the grid's legend."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tests.factories import make_participants
from tests.training.helpers import make_group, put
from tests.training.test_attendance_pages import GRID_QUERIES, MID_COURSE, grid_queries
from training import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(MID_COURSE, tick=False):
        yield


@pytest.fixture
def group(chamber_user, stream, modules, trainer):
    return make_group(chamber_user, stream, "Group A", trainers=[trainer])


def page_url(group, query=""):
    return reverse("training:attendance", args=[group.code]) + query


def iso(day) -> str:
    return day.date.isoformat()


def test_the_grid_sends_a_phone_to_the_day_view_of_today_and_keeps_the_grid_when_asked(login, trainer, group):
    client = login(trainer)
    today = group.days.get(date=MID_COURSE.date())
    page = client.get(page_url(group)).text
    assert "js/attendance-phone.js" in page
    assert f'data-day-url="{page_url(group, "?day=" + iso(today))}"' in page
    # The day view's link back to the grid, and the grid it opens: no sending on.
    day_view = client.get(page_url(group, f"?day={iso(today)}")).text
    assert f'href="{page_url(group, "?view=grid")}"' in day_view
    assert "attendance-phone.js" not in day_view
    assert "attendance-phone.js" not in client.get(page_url(group, "?view=grid")).text


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime.datetime(2026, 12, 27, 6, 0, tzinfo=datetime.UTC), "before"),  # a Sunday mid-course
        (datetime.datetime(2026, 11, 30, 6, 0, tzinfo=datetime.UTC), "first"),  # a week before the start
        (datetime.datetime(2027, 3, 1, 6, 0, tzinfo=datetime.UTC), "last"),  # long after the end
    ],
)
def test_a_phone_opens_the_nearest_class_day_when_today_has_none(login, trainer, group, now, expected):
    days = list(group.days.order_by("date"))
    with time_machine.travel(now, tick=False):
        today = now.date()
        assert today not in {d.date for d in days}
        shown = {
            "before": next((d for d in reversed(days) if d.date < today), None),
            "first": days[0],
            "last": days[-1],
        }[expected]
        page = login(trainer).get(page_url(group)).text
    assert f'data-day-url="{page_url(group, "?day=" + iso(shown))}"' in page


def test_the_day_view_shows_one_day_with_the_previous_and_next_class_days(
    login, trainer, chamber_user, district, stream, group
):
    put(chamber_user, group, make_participants(district, stream, 3))
    days = list(group.days.order_by("date"))
    today = next(i for i, d in enumerate(days) if d.date == MID_COURSE.date())
    client = login(trainer)
    page = client.get(page_url(group, f"?day={iso(days[today])}")).text
    assert page.count('data-testid="cell"') == 3
    assert f'data-date="{iso(days[today])}"' in page
    assert f'href="?day={iso(days[today - 1])}" data-testid="previous-day"' in page
    assert f'href="?day={iso(days[today + 1])}" data-testid="next-day"' in page
    assert f"Class day {today + 1} of {len(days)}" in page
    # The ends of the course: no day before the first, none after the last.
    first = client.get(page_url(group, f"?day={iso(days[0])}")).text
    assert 'data-testid="previous-day"' not in first and f'href="?day={iso(days[1])}" data-testid="next-day"' in first
    last = client.get(page_url(group, f"?day={iso(days[-1])}")).text
    assert 'data-testid="next-day"' not in last and 'data-testid="previous-day"' in last
    assert 'data-testid="future-day"' in last and 'data-testid="all-present"' not in last
    # The grid links each day's header to its day view.
    grid = client.get(page_url(group, "?view=grid")).text
    assert all(f'href="?day={iso(d)}"' in grid for d in days)


@pytest.mark.parametrize(
    ("value", "says", "shown"),
    [
        ("yesterday", "is not a date", "today"),
        ("2026-02-30", "is not a date", "today"),
        ("123", "is not a date", "today"),  # a day's number, as the links once carried
        ("2026-12-21T00:00", "is not a date", "today"),
        ("", "is not a date", "today"),
        ("2026-01-05", "The course runs from", "first"),
        ("2027-06-01", "The course runs from", "last"),
        ("2026-12-27", "There is no class on", "monday"),  # a Sunday in the course: the next class day
    ],
)
def test_a_day_the_course_does_not_have_gives_a_message_and_the_nearest_day(
    login, trainer, chamber_user, district, stream, group, value, says, shown
):
    put(chamber_user, group, make_participants(district, stream, 2))
    days = list(group.days.order_by("date"))
    expected = {
        "today": next(d for d in days if d.date == MID_COURSE.date()),
        "first": days[0],
        "last": days[-1],
        "monday": next(d for d in days if d.date > datetime.date(2026, 12, 27)),
    }[shown]
    response = login(trainer).get(page_url(group, f"?day={value}"))
    assert response.status_code == 200
    assert 'data-testid="day-notice"' in response.text and says in response.text
    assert f'data-date="{iso(expected)}"' in response.text
    assert response.text.count('data-testid="cell"') == 2


def test_the_day_view_costs_the_grids_queries_for_3_and_20_participants(
    login, trainer, chamber_user, district, stream, group
):
    client = login(trainer)
    today = iso(group.days.get(date=MID_COURSE.date()))
    put(chamber_user, group, make_participants(district, stream, 3))
    for day in group.days.filter(date__lte=MID_COURSE.date()):
        services.attendance_mark_day_present(actor=trainer, group_id=group.pk, day_id=day.pk)
    for_3, page = grid_queries(client, page_url(group, f"?day={today}"))
    assert page.count('data-testid="cell"') == 3
    put(chamber_user, group, make_participants(district, stream, 17))
    for_20, page = grid_queries(client, page_url(group, f"?day={today}"))
    assert page.count('data-testid="cell"') == 20
    odd, _page = grid_queries(client, page_url(group, "?day=2026-12-27"))
    assert for_3 == for_20 == odd == GRID_QUERIES


def test_a_whole_day_action_goes_back_to_that_days_view(login, trainer, chamber_user, district, stream, group):
    put(chamber_user, group, make_participants(district, stream, 2))
    day = group.days.order_by("date").first()
    response = login(trainer).post(reverse("training:attendance_present", args=[group.code]), {"day": day.pk})
    assert response.status_code == 302
    assert response["Location"] == page_url(group, f"?day={iso(day)}")


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ru", ["О</span> опоздал", "У</span> отсутствовал по уважительной причине", "не отмечено"]),
        ("kk", ["К</span> кешікті", "С</span> себепті жоқ", "белгіленбеген"]),
        ("en", ["L</span> late", "E</span> absent, valid reason", "not marked"]),
    ],
)
def test_the_grids_codes_have_a_legend_in_the_pages_language(
    login, trainer, chamber_user, district, stream, group, lang, words
):
    put(chamber_user, group, make_participants(district, stream, 1))
    client = login(trainer)
    client.post(reverse("portal:set_language"), {"language": lang, "next": "/"})
    page = client.get(page_url(group, "?view=grid")).text
    legend = page[page.index('data-testid="legend"') : page.index('data-testid="grid"')]
    for word in words:
        assert word in legend
