"""Loan referrals through the API, as a financial institution's system calls it: only the referrals
forwarded to the token's institution, the decision through financing.services with its bounds (400 with
the fields), its rule (403) and its state (409 once decided)."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from applications.models import Status
from financing.models import Referral
from programme.loader import load_mci
from tests.api.conftest import error_of
from tests.factories import make_api_token, make_certified, make_loan_programme, make_officer, make_staff
from tests.financing.conftest import NOW
from tests.financing.helpers import forwarded, request

pytestmark = pytest.mark.django_db

# 1 the token with its user and organisation, 2 the count, 3 the referrals with application, programme,
# lender and district (one join).
REFERRALS = 3


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _mci(db):
    load_mci()


@pytest.fixture
def programme(db):
    return make_loan_programme()


@pytest.fixture
def officer_key(programme):
    return make_api_token(make_officer(programme.lender), name="Bank")


@pytest.fixture
def graduates(district, stream):
    return make_certified(district, stream, 3)[0]


@pytest.fixture
def referrals(graduates, programme, chamber_user):
    """Two forwarded to the lender, one still with the Chamber branch."""
    sent = [forwarded(g, programme, chamber_user) for g in graduates[:2]]
    request(graduates[2], programme)
    return sent


def approval(referral, **overrides):
    values = {"amount": referral.amount, "rate": "6.00", "term_months": referral.term_months}
    values["approved_on"] = NOW.date().isoformat()
    values.update(overrides)
    return values


def test_the_officer_lists_only_what_was_forwarded_to_the_institution(api, officer_key, referrals):
    body = api(officer_key).get("/api/referrals/").json()
    assert sorted(r["code"] for r in body["results"]) == sorted(str(r.code) for r in referrals)
    assert {r["state"] for r in body["results"]} == {"forwarded"}
    one = api(officer_key).get(f"/api/referrals/{referrals[0].code}/").json()
    assert one["amount"] == referrals[0].amount and one["purpose"] == referrals[0].purpose
    assert one["application"] == str(referrals[0].application.code)
    assert api(officer_key).get("/api/referrals/", {"state": "approved"}).json()["count"] == 0
    assert api(officer_key).get("/api/referrals/", {"state": "requested"}).status_code == 400


def test_another_institution_gets_404_for_our_referral(api, district, stream, referrals):
    other = make_loan_programme()
    key = make_api_token(make_officer(other.lender))
    assert api(key).get("/api/referrals/").json()["count"] == 0
    for response in (
        api(key).get(f"/api/referrals/{referrals[0].code}/"),
        api(key).post(f"/api/referrals/{referrals[0].code}/approve/", approval(referrals[0])),
        api(key).post(f"/api/referrals/{referrals[0].code}/decline/", {"reason": "Жоқ."}),
    ):
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"
    assert Referral.objects.get(pk=referrals[0].pk).state == Referral.State.FORWARDED


def test_the_chamber_may_not_decide(api, chamber_key, referrals):
    response = api(chamber_key).post(f"/api/referrals/{referrals[0].code}/approve/", approval(referrals[0]))
    assert response.status_code == 403
    assert error_of(response)["code"] == "financing.view_inbox"


def test_approve_with_the_services_bounds_then_409(api, officer_key, referrals):
    referral = referrals[0]
    url = f"/api/referrals/{referral.code}/approve/"
    response = api(officer_key).post(
        url,
        approval(
            referral,
            amount=referral.amount + 1,
            rate="7.00",
            term_months=6,
            approved_on=(NOW.date() + datetime.timedelta(days=1)).isoformat(),
        ),
    )
    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"amount", "rate", "term_months", "approved_on"}
    missing = api(officer_key).post(url, {"amount": 0})
    assert missing.status_code == 400
    assert set(error_of(missing)["fields"]) == {"amount", "rate", "term_months", "approved_on"}

    done = api(officer_key).post(url, approval(referral, amount=4_000_000))
    assert done.status_code == 200, done.json()
    assert done.json()["state"] == "approved" and done.json()["approved_amount"] == 4_000_000
    referral.application.refresh_from_db()
    assert referral.application.status == Status.LOAN_APPROVED

    again = api(officer_key).post(url, approval(referral))
    assert again.status_code == 409
    assert error_of(again)["code"] == "conflict"
    assert api(officer_key).post(f"/api/referrals/{referral.code}/decline/", {"reason": "Жоқ."}).status_code == 409


def test_decline_needs_a_reason(api, officer_key, referrals):
    url = f"/api/referrals/{referrals[1].code}/decline/"
    blank = api(officer_key).post(url, {"reason": "  "})
    assert blank.status_code == 400
    assert set(error_of(blank)["fields"]) == {"reason"}
    done = api(officer_key).post(url, {"reason": "Кепіл жеткіліксіз."})
    assert done.status_code == 200
    assert done.json()["state"] == "declined" and done.json()["decline_reason"] == "Кепіл жеткіліксіз."
    assert api(officer_key).get("/api/referrals/", {"state": "declined"}).json()["count"] == 1


def test_other_roles_are_refused(api, district, referrals):
    key = make_api_token(make_staff(Role.TRAINER, district=district))
    assert error_of(api(key).get("/api/referrals/"))["code"] == "financing.view_inbox"


def count(api, key) -> tuple[int, int]:
    api(key).get("/api/referrals/")
    with CaptureQueriesContext(connection) as ctx:
        response = api(key).get("/api/referrals/", {"page_size": 200})
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()["count"]


def test_the_list_costs_the_same_for_few_and_many(
    api, officer_key, district, stream, programme, chamber_user, referrals
):
    few = count(api, officer_key)
    for graduate in make_certified(district, stream, 4, group_name="Group M")[0]:
        forwarded(graduate, programme, chamber_user)
    many = count(api, officer_key)
    assert few == (REFERRALS, 2)
    assert many == (REFERRALS, 6)
