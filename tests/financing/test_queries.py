"""The officer's inbox, the Chamber's referral list and the follow-ups due cost the same queries for a
few rows as for many."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_certified
from tests.financing.helpers import forwarded
from tests.financing.test_followups import SIX_MONTHS_ON

pytestmark = pytest.mark.django_db

# The officer's inbox: 1 the login session, 2 the user, 3 the user's organisation (their scope, for
# the page's rule), 4 the referrals of their institution with application, programme, lender and
# district in one join. 4 observed.
INBOX_QUERIES = 4
# The Chamber's list: the session, the user, the organisation, the referrals (one join). 4 observed.
REFERRALS_QUERIES = 4
# The follow-ups due: the session, the user, the organisation, the due rows with application and
# district (one join). 4 observed.
FOLLOWUPS_QUERIES = 4


def count_queries(client, url) -> tuple[int, str]:
    client.get(url)  # warm up whatever a first request loads
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.text


def _forward_new(district, stream, programme, chamber, count, name):
    graduates, _group = make_certified(district, stream, count, group_name=name)
    for graduate in graduates:
        forwarded(graduate, programme, chamber)


def test_the_officers_inbox_makes_as_many_queries_for_12_referrals_as_for_2(
    district, stream, chamber_user, programme, officer, login
):
    client = login(officer)
    url = reverse("financing:inbox")
    _forward_new(district, stream, programme, chamber_user, 2, "Group Q1")
    for_2, page = count_queries(client, url)
    assert page.count('data-testid="inbox-row"') == 2

    _forward_new(district, stream, programme, chamber_user, 10, "Group Q2")
    for_12, page = count_queries(client, url)
    assert page.count('data-testid="inbox-row"') == 12
    assert for_2 == for_12 == INBOX_QUERIES


def test_the_chamber_referral_list_makes_as_many_queries_for_12_as_for_2(
    district, stream, chamber_user, programme, login
):
    from tests.financing.helpers import request

    client = login(chamber_user)
    url = reverse("financing:referrals")
    graduates, _group = make_certified(district, stream, 12, group_name="Group R")
    for graduate in graduates[:2]:
        request(graduate, programme)
    for_2, page = count_queries(client, url)
    assert page.count('data-testid="referral-row"') == 2
    for graduate in graduates[2:]:
        request(graduate, programme)
    for_12, page = count_queries(client, url)
    assert page.count('data-testid="referral-row"') == 12
    assert for_2 == for_12 == REFERRALS_QUERIES


def test_the_follow_ups_due_make_as_many_queries_for_15_graduates_as_for_3(district, stream, chamber_user, login):
    url = reverse("financing:followups")
    make_certified(district, stream, 3, group_name="Group S1")
    with time_machine.travel(SIX_MONTHS_ON, tick=False):
        for_3, page = count_queries(login(chamber_user), url)
    assert page.count('data-testid="followup-row"') == 3

    make_certified(district, stream, 12, group_name="Group S2")
    with time_machine.travel(SIX_MONTHS_ON, tick=False):
        for_15, page = count_queries(login(chamber_user), url)
    assert page.count('data-testid="followup-row"') == 15
    assert for_3 == for_15 == FOLLOWUPS_QUERIES
