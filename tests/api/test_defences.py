"""Defence outcomes through the API: who reads them (the commission, the Chamber branch and analysts of
the area), what a row says, and the list's cost."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from tests.api.conftest import error_of
from tests.factories import RegionFactory, make_api_token, make_defended_via_commission, make_staff
from tests.financing.conftest import NOW

pytestmark = pytest.mark.django_db

# 1 the token with its user and organisation, 2 the count, 3 the defences with application, session and
# group (one join; the sessions in the token's area a subquery).
DEFENCES = 3


@pytest.fixture(autouse=True)
def _clock():  # after the course and the defence (tests/financing/conftest.py's day)
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def outcome(district, stream):
    return make_defended_via_commission(district, stream, 2)


def test_the_chamber_reads_the_confirmed_outcomes_of_its_district(api, chamber_key, outcome):
    apps, session = outcome
    response = api(chamber_key).get("/api/defences/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    row = next(r for r in body["results"] if r["application"] == str(apps[0].code))
    assert row["number"] == apps[0].number
    assert row["group"] == str(session.group.code)
    assert row["held_on"] == session.held_on.isoformat()
    assert row["outcome"] == "defended"
    assert row["score_percent"] == "100.00"
    assert row["confirmed_at"] is not None

    one = api(chamber_key).get(f"/api/defences/{apps[1].code}/")
    assert one.status_code == 200
    assert one.json()["outcome"] == "defended"


def test_not_defended_and_the_outcome_filter(api, chamber_key, district, stream, outcome):
    failed, _session = make_defended_via_commission(district, stream, 1, defended=False, group_name="Group N")
    body = api(chamber_key).get("/api/defences/", {"outcome": "not_defended"}).json()
    assert [r["application"] for r in body["results"]] == [str(failed[0].code)]
    assert body["results"][0]["score_percent"] == "0.00"
    assert api(chamber_key).get("/api/defences/", {"outcome": "defended"}).json()["count"] == 2
    assert api(chamber_key).get("/api/defences/", {"outcome": "absent"}).json()["count"] == 0


def test_another_area_sees_nothing_and_a_defence_of_it_is_a_404(api, other_district, outcome):
    apps, _session = outcome
    key = make_api_token(make_staff(Role.CHAMBER, district=other_district))
    assert api(key).get("/api/defences/").json()["count"] == 0
    response = api(key).get(f"/api/defences/{apps[0].code}/")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_the_commission_reads_its_own_sessions_only(api, outcome, other_district):
    from tests.factories import make_commission

    apps, session = outcome
    own = make_api_token(session.commission.members.first().user)
    assert api(own).get("/api/defences/").json()["count"] == 2
    stranger = make_api_token(make_commission(other_district).chair)
    assert api(stranger).get("/api/defences/").json()["count"] == 0
    assert api(stranger).get(f"/api/defences/{apps[0].code}/").status_code == 404


def test_other_roles_are_refused_with_the_rule(api, district, outcome):
    key = make_api_token(make_staff(Role.TRAINER, district=district))
    response = api(key).get("/api/defences/")
    assert response.status_code == 403
    assert error_of(response)["code"] == "commissions.view_outcomes"


def count(api, key) -> tuple[int, int]:
    api(key).get("/api/defences/")
    with CaptureQueriesContext(connection) as ctx:
        response = api(key).get("/api/defences/", {"page_size": 200})
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()["count"]


def test_the_list_costs_the_same_for_few_and_many(api, chamber_key, district, stream, outcome):
    few = count(api, chamber_key)
    make_defended_via_commission(district, stream, 4, group_name="Group M")
    many = count(api, chamber_key)
    assert few == (DEFENCES, 2)
    assert many == (DEFENCES, 6)


def test_an_analyst_of_the_region_reads_them_and_one_of_another_region_does_not(api, district, outcome):
    apps, _session = outcome
    own = make_api_token(make_staff(Role.ANALYST, region=district.region))
    assert api(own).get(f"/api/defences/{apps[0].code}/").status_code == 200
    other = make_api_token(make_staff(Role.ANALYST, region=RegionFactory()))
    assert api(other).get("/api/defences/").json()["count"] == 0
