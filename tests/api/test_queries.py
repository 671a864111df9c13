"""Every list of the API costs the same queries for a few rows as for many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from tests.factories import make_accepted, make_application, make_modules, make_participants, make_staff
from tests.training.helpers import make_group, put

pytestmark = pytest.mark.django_db

# Each list, query by query: 1 the token with its user and organisation (the scope comes from them),
# 2 the count for the page, 3 the page's rows (with what each row shows, joined).
APPLICATIONS = 3
# 3 the lists with their stream, year, district and size (one aggregate).
LISTS = 3
# 3 the groups with stream, year and district and their size, 4 their trainers (one prefetch).
GROUPS = 4
# 3 the places with their application and group.
PARTICIPANTS = 3
# The grid: 1 the token, 2 the group with its stream and district, 3 its trainers, 4 its members with their
# applications, 5 its teaching days with modules, 6 every mark of the group.
GRID = 6


def count(api, key, url) -> tuple[int, dict]:
    api(key).get(url)  # the first call records the token's last use
    with CaptureQueriesContext(connection) as ctx:
        response = api(key).get(url, {"page_size": 200})
    assert response.status_code == 200, response.json()
    return len(ctx.captured_queries), response.json()


def test_the_applications_list(api, centre_key, district):
    for _ in range(2):
        make_application(district=district)
    few, body = count(api, centre_key, "/api/applications/")
    assert body["count"] == 2
    for _ in range(28):
        make_application(district=district)
    many, body = count(api, centre_key, "/api/applications/")
    assert body["count"] == 30
    assert few == many == APPLICATIONS


def test_the_lists_for_the_chamber(api, chamber_key, district, stream):
    make_accepted(district, stream, 1)
    few, body = count(api, chamber_key, "/api/applicant-lists/")
    assert body["count"] == 1
    for _ in range(3):
        make_accepted(district, stream, 2)
    many, body = count(api, chamber_key, "/api/applicant-lists/")
    assert body["count"] == 4
    assert few == many == LISTS


def test_groups_participants_and_the_grid(api, chamber_user, chamber_key, district, stream):
    make_modules()
    trainer = make_staff(Role.TRAINER, district=district)
    first = make_group(chamber_user, stream, "Group A", trainers=[trainer])
    put(chamber_user, first, make_participants(district, stream, 2))
    counts = {
        url: count(api, chamber_key, url)[0]
        for url in ("/api/groups/", "/api/participants/", f"/api/groups/{first.code}/attendance/")
    }
    for n in range(4):
        group = make_group(
            chamber_user, stream, f"Group {n}", trainers=[trainer, make_staff(Role.TRAINER, district=district)]
        )
        put(chamber_user, group, make_participants(district, stream, 3))
    put(chamber_user, first, make_participants(district, stream, 10))
    for day in first.days.order_by("date")[:2]:
        services_mark_all(chamber_user, first, day)
    assert count(api, chamber_key, "/api/groups/")[1]["count"] == 5
    assert count(api, chamber_key, "/api/participants/")[1]["count"] == 24
    assert len(count(api, chamber_key, f"/api/groups/{first.code}/attendance/")[1]["cells"]) == 24
    assert counts == {
        "/api/groups/": GROUPS,
        "/api/participants/": PARTICIPANTS,
        f"/api/groups/{first.code}/attendance/": GRID,
    }
    assert count(api, chamber_key, "/api/groups/")[0] == GROUPS
    assert count(api, chamber_key, "/api/participants/")[0] == PARTICIPANTS
    assert count(api, chamber_key, f"/api/groups/{first.code}/attendance/")[0] == GRID


def services_mark_all(actor, group, day):
    import time_machine

    from training import services as training_services

    with time_machine.travel(day.date.isoformat() + "T10:00:00+05:00", tick=False):
        training_services.attendance_mark_day_present(actor=actor, group_id=group.pk, day_id=day.pk)
