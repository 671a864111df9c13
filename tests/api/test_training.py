"""Groups, participants and attendance through the API: the training selectors and services."""

import datetime
import uuid

import pytest
import time_machine

from accounts.models import Role
from tests.api.conftest import error_of
from tests.factories import make_api_token, make_modules, make_participants, make_staff
from tests.training.helpers import make_group, put
from training.models import AttendanceChange, AttendanceMark, MarkKind

pytestmark = pytest.mark.django_db

MID_COURSE = datetime.datetime(2026, 12, 21, 4, 0, tzinfo=datetime.UTC)  # Monday of the third week


@pytest.fixture
def trainer(district):
    return make_staff(Role.TRAINER, district=district)


@pytest.fixture
def group(chamber_user, stream, trainer):
    make_modules()
    return make_group(chamber_user, stream, "Group A", trainers=[trainer])


@pytest.fixture
def members(chamber_user, district, stream, group):
    put(chamber_user, group, make_participants(district, stream, 2))
    return list(group.memberships.current().select_related("application").order_by("application_id"))


@pytest.fixture
def trainer_key(trainer):
    return make_api_token(trainer)


@pytest.fixture
def mid_course():
    with time_machine.travel(MID_COURSE, tick=False):
        yield


def test_groups_list_and_read_in_the_tokens_area(api, chamber_key, group, members, district):
    other_chamber_key = make_api_token(make_staff(Role.CHAMBER))
    rows = api(chamber_key).get("/api/groups/").json()
    assert [(r["code"], r["size"], len(r["trainers"])) for r in rows["results"]] == [(str(group.code), 2, 1)]
    assert api(other_chamber_key).get("/api/groups/").json()["count"] == 0
    body = api(chamber_key).get(f"/api/groups/{group.code}/").json()
    assert [m["participant"] for m in body["members"]] == [str(m.application.code) for m in members]
    assert len(body["days"]) == 25 and body["days"][0]["module"] == 1
    response = api(other_chamber_key).get(f"/api/groups/{group.code}/")
    assert response.status_code == 404
    error_of(response)


def test_a_role_without_the_group_pages_is_403(api, centre_key, group):
    response = api(centre_key).get("/api/groups/")
    assert response.status_code == 403
    assert error_of(response)["code"] == "training.view_groups"


def test_a_trainer_sees_their_own_groups_only(api, chamber_user, stream, trainer_key, group):
    make_group(chamber_user, stream, "Group B")  # another trainer's
    assert [r["name"] for r in api(trainer_key).get("/api/groups/").json()["results"]] == ["Group A"]


def test_participants_list_filter_and_read(api, chamber_key, group, members):
    rows = api(chamber_key).get("/api/participants/", {"group": str(group.code)}).json()
    assert [r["participant"] for r in rows["results"]] == [str(m.application.code) for m in members]
    assert api(chamber_key).get("/api/participants/", {"status": "in_training"}).json()["count"] == 0
    body = api(chamber_key).get(f"/api/participants/{members[0].application.code}/").json()
    assert (body["group"], body["missed"], body["absence_limit"], body["modules_taken"]) == (str(group.code), 0, 3, 0)
    other_chamber_key = make_api_token(make_staff(Role.CHAMBER))
    assert api(other_chamber_key).get(f"/api/participants/{members[0].application.code}/").status_code == 404


def grid_url(group) -> str:
    return f"/api/groups/{group.code}/attendance/"


def test_a_trainer_marks_a_cell_and_reads_the_grid(api, trainer_key, group, members, mid_course):
    day = group.days.order_by("date").first()
    response = api(trainer_key).post(grid_url(group), {"participant": members[0].pk, "day": day.pk, "kind": "late"})
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "participant": members[0].pk,
        "day": day.pk,
        "kind": "late",
        "reason_code": "",
        "reason_text": "",
        "version": 1,
    }
    grid = api(trainer_key).get(grid_url(group)).json()
    assert [(c["participant"], c["day"], c["kind"]) for c in grid["cells"]] == [(members[0].pk, day.pk, "late")]
    assert [m["missed"] for m in grid["members"]] == [0, 0]
    members[0].application.refresh_from_db()
    assert members[0].application.status == "in_training"  # the first mark started the course, as on the grid


def test_a_stale_version_is_409_and_changes_nothing(api, trainer_key, chamber_key, group, members, mid_course):
    day = group.days.order_by("date").first()
    cell = {"participant": members[0].pk, "day": day.pk}
    assert api(trainer_key).post(grid_url(group), {**cell, "kind": "present", "expected_version": 0}).status_code == 200
    # The Chamber corrects the cell meanwhile (a past day: with a reason).
    corrected = api(chamber_key).post(
        grid_url(group), {**cell, "kind": "late", "expected_version": 1, "change_reason": "Paper register"}
    )
    assert corrected.status_code == 200 and corrected.json()["version"] == 2
    stale = api(trainer_key).post(
        grid_url(group), {**cell, "kind": "absent_unexcused", "expected_version": 1, "change_reason": "Left early"}
    )
    assert stale.status_code == 409
    assert error_of(stale)["code"] == "stale"
    assert AttendanceMark.objects.get().kind == MarkKind.LATE


def test_the_same_client_id_is_done_once(api, trainer_key, group, members, mid_course):
    day = group.days.order_by("date").first()
    mark = {"participant": members[0].pk, "day": day.pk, "kind": "present", "client_id": str(uuid.uuid4())}
    first = api(trainer_key).post(grid_url(group), mark)
    again = api(trainer_key).post(grid_url(group), mark)
    assert first.json() == again.json()
    assert AttendanceChange.objects.count() == 1


def test_the_services_refusals_come_back_on_their_fields(api, trainer_key, group, members, mid_course):
    days = list(group.days.order_by("date"))
    future = next(d for d in days if d.date > MID_COURSE.date())
    response = api(trainer_key).post(grid_url(group), {"participant": members[0].pk, "day": future.pk, "kind": "late"})
    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["day"]
    response = api(trainer_key).post(
        grid_url(group), {"participant": members[0].pk, "day": days[0].pk, "kind": "absent_excused"}
    )
    assert list(error_of(response)["fields"]) == ["reason_code"]
    api(trainer_key).post(grid_url(group), {"participant": members[0].pk, "day": days[0].pk, "kind": "present"})
    response = api(trainer_key).post(
        grid_url(group), {"participant": members[0].pk, "day": days[0].pk, "kind": "late", "expected_version": 1}
    )
    assert list(error_of(response)["fields"]) == ["change_reason"]


def test_another_districts_group_cannot_be_marked(api, group, members, mid_course):
    other_chamber_key = make_api_token(make_staff(Role.CHAMBER))
    day = group.days.order_by("date").first()
    response = api(other_chamber_key).post(
        grid_url(group), {"participant": members[0].pk, "day": day.pk, "kind": "late"}
    )
    assert response.status_code == 404
    assert AttendanceMark.objects.count() == 0


def test_an_analyst_reads_the_grid_but_the_rule_refuses_a_mark(api, group, members, mid_course):
    analyst_key = make_api_token(make_staff(Role.ANALYST, national=True))
    assert api(analyst_key).get(grid_url(group)).status_code == 200
    day = group.days.order_by("date").first()
    response = api(analyst_key).post(grid_url(group), {"participant": members[0].pk, "day": day.pk, "kind": "late"})
    assert response.status_code == 403
    assert error_of(response)["code"] == "training.mark_attendance"
