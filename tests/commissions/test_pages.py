"""The commission's pages: a member sees their commission's work only; the queue and the session page
cost the same queries at two sizes (pinned)."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from applications.models import Status
from commissions.models import Scoresheet
from tests.commissions.helpers import case_day, make_case
from tests.factories import (
    DistrictFactory,
    make_commission,
    make_defended_via_commission,
    make_finished,
    make_frozen_plan,
    make_staff,
)

pytestmark = pytest.mark.django_db

# The queue, query by query: 1 the login session, 2 the user, 3 their organisation (scope, from the
# view's decorator), 4 their seat in term with its commission and organisation, 5 the districts a
# commission serves (prefetched with the seat), 6 the open cases with their applications and groups,
# 7 the sessions with their counts, 8 the groups waiting for a session (with a group waiting, the
# secretary's schedule form adds one: the members in term).
QUEUE_QUERIES = 8
# The session page: 1–5 as the queue; 6 the session with its group, stream, commission, organisation
# and district, 7 its members present with their users, 8 the criteria, 9 the defences with their
# applications, 10 the members' sheets, 11 their scores, 12 the frozen plans (plans.selectors),
# 13 the members in term on the day (the quorum).
SESSION_QUERIES = 13


def count_queries(client, url) -> tuple[int, str]:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries), response.content.decode()


@pytest.fixture
def commission(district):
    return make_commission(district)


def test_the_queue_lists_open_cases_and_sessions_in_as_many_queries_for_5_cases_as_for_1(
    login, district, stream, commission
):
    cases, _group = make_case(district, stream, count=1, group_name="Group 1")
    at = case_day(cases[0])
    with time_machine.travel(at, tick=False):
        client = login(commission.secretary)  # logged in on the day (a session does not last a month)
        one, page = count_queries(client, reverse("commissions:queue"))
        assert page.count('data-testid="case"') == 1
    make_case(district, stream, count=4, group_name="Group 2")
    with time_machine.travel(at, tick=False):
        five, page = count_queries(client, reverse("commissions:queue"))
    assert page.count('data-testid="case"') == 5
    assert one == five == QUEUE_QUERIES


def test_the_session_page_costs_the_same_for_6_participants_as_for_2(login, district, stream, commission):
    apps, session = make_defended_via_commission(district, stream, 2)
    client = login(commission.chair)
    url = reverse("commissions:session", args=[session.code])
    two, page = count_queries(client, url)
    assert page.count('data-testid="defence"') == 2 and page.count('data-testid="plan-link"') == 2
    apps, bigger = make_defended_via_commission(district, stream, 6, group_name="Group E")
    six, page = count_queries(client, reverse("commissions:session", args=[bigger.code]))
    assert page.count('data-testid="defence"') == 6 and page.count('data-testid="sheet"') == 18
    assert two == six == SESSION_QUERIES


def test_the_secretary_records_a_decision_on_the_case_page(login, district, stream, commission):
    cases, _group = make_case(district, stream)
    case = cases[0]
    url = reverse("commissions:case", args=[case.pk])
    at = case_day(case)
    with time_machine.travel(at, tick=False):
        client = login(commission.secretary)
        page = client.get(url).content.decode()
        assert page.count('data-testid="missed-day"') == 4 and "absent, no reason" in page
        typed = {
            "decision": "keep",
            "reason": "Came with a certificate",
            "decided_on": at.date().strftime("%d.%m.%Y"),
            "present": [s.pk for s in commission.seats],
        }
        # One member present of three is no quorum: said on the field, before asking "Yes?", and
        # what was typed stays.
        alone = client.post(url, {**typed, "present": [commission.seats[0].pk]})
        assert alone.status_code == 400 and 'data-testid="cannot-undo"' not in alone.text
        assert "Came with a certificate" in alone.text and 'id="error_1_id_present"' in alone.text
        asked = client.post(url, typed)
        assert asked.status_code == 200 and 'data-testid="cannot-undo"' in asked.text
        assert case.application.full_name in asked.text and "Came with a certificate" in asked.text
        case.application.refresh_from_db()
        assert case.application.status == Status.EXPULSION_CASE  # nothing decided yet
        response = client.post(url, {**typed, "confirm": "1"})
        assert response.status_code == 302
        case.application.refresh_from_db()
        assert case.application.status == Status.IN_TRAINING
        page = client.get(url).content.decode()
    assert 'data-testid="decision"' in page and "Came with a certificate" in page


def test_expelling_asks_first_and_names_the_participant(login, district, stream, commission):
    cases, _group = make_case(district, stream)
    case = cases[0]
    url = reverse("commissions:case", args=[case.pk])
    at = case_day(case)
    with time_machine.travel(at, tick=False):
        client = login(commission.secretary)
        typed = {
            "decision": "expel",
            "reason": "Four days absent, no reason",
            "decided_on": at.date().strftime("%d.%m.%Y"),
            "present": [s.pk for s in commission.seats],
        }
        asked = client.post(url, typed)
        assert asked.status_code == 200 and 'data-testid="confirm-yes"' in asked.text
        assert f"Expel {case.application.full_name}" in asked.text
        assert 'name="decision" value="expel"' in asked.text and 'name="confirm" value="1"' in asked.text
        case.application.refresh_from_db()
        assert case.application.status == Status.EXPULSION_CASE
        # "No" goes back to the case page, still open.
        assert 'data-testid="decision"' not in client.get(url).text
        assert client.post(url, {**typed, "confirm": "1"}).status_code == 302
        case.application.refresh_from_db()
        assert case.application.status == Status.EXPELLED


def test_the_members_score_on_the_session_page_and_see_the_others_only_when_all_have(
    login, district, stream, commission
):
    apps, group = make_finished(district, stream, 1)
    make_frozen_plan(apps[0])
    day = group.days.order_by("-date").first().date + datetime.timedelta(days=1)
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(6), tzinfo=datetime.UTC), tick=False):
        client = login(commission.secretary)
        response = client.post(
            reverse("commissions:schedule"),
            {
                "group": group.pk,
                "held_on": day.strftime("%d.%m.%Y"),
                "place": "Hall",
                "present": [s.pk for s in commission.seats],
            },
        )
        assert response.status_code == 302
        url = response["Location"]
        session_page = client.get(url).content.decode()
        assert 'data-testid="score-form"' in session_page and 'data-testid="plan-link"' in session_page
        from commissions.models import Criterion, Defence

        defence = Defence.objects.get()
        criteria = Criterion.objects.filter(commission=commission).order_by("position")
        # Before every member has scored, the chair is told why, not asked "Yes?".
        refused = login(commission.chair).post(reverse("commissions:confirm", args=[defence.session.code]), follow=True)
        assert 'data-testid="cannot-undo"' not in refused.text
        assert "Not every member present has scored" in refused.text and apps[0].full_name in refused.text
        for n, seat in enumerate(commission.seats):
            member_client = login(seat.user)
            post = {"defence": defence.pk, "comment": f"Comment of member {n}"}
            post.update({f"c{c.pk}": 8 for c in criteria})
            member_client.post(reverse("commissions:score", args=[defence.session.code]), post)
            page = member_client.get(url).content.decode()
            if n == 1:  # the second member sees their own total, never the first member's sheet
                assert 'data-testid="own-sheet"' in page and "Comment of member 0" not in page
                assert 'data-testid="sheet"' not in page
        assert Scoresheet.objects.count() == 3
        client = login(commission.secretary)
        page = client.get(url).content.decode()
        assert page.count('data-testid="sheet"') == 3 and "Comment of member 0" in page
        chair = login(commission.chair)
        asked = chair.post(reverse("commissions:confirm", args=[defence.session.code]))
        # The first POST asks: who defended, who did not; nothing is confirmed yet.
        assert asked.status_code == 200 and 'data-testid="cannot-undo"' in asked.text
        names = asked.text.split('data-testid="confirm-names"')[1].split("</ul>")[0]
        assert apps[0].full_name in names and "defended" in names
        apps[0].refresh_from_db()
        assert apps[0].status == Status.COURSE_FINISHED
        response = chair.post(reverse("commissions:confirm", args=[defence.session.code]), {"confirm": "1"})
    assert response.status_code == 302
    apps[0].refresh_from_db()
    assert apps[0].status == Status.DEFENDED


def test_another_commissions_member_gets_404_and_other_staff_403(login, district, stream, commission):
    apps, session = make_defended_via_commission(district, stream, 1)
    cases, _ = make_case(district, stream, group_name="Group X")
    stranger = make_commission(DistrictFactory()).chair
    client = login(stranger)
    assert client.get(reverse("commissions:session", args=[session.code])).status_code == 404
    assert client.get(reverse("commissions:case", args=[cases[0].pk])).status_code == 404
    assert client.get(reverse("commissions:protocol_pdf", args=[session.code])).status_code == 404
    assert client.post(reverse("commissions:confirm", args=[session.code])).status_code == 404
    for role in (Role.CHAMBER, Role.TRAINER, Role.EMPLOYMENT_CENTRE):
        staff = make_staff(role, district=district)
        assert login(staff).get(reverse("commissions:queue")).status_code == 403
        assert login(staff).get(reverse("commissions:session", args=[session.code])).status_code == 403
    assert login(apps[0].applicant).get(reverse("commissions:queue")).status_code == 403


def test_a_member_may_read_but_not_record_a_decision(login, district, stream, commission):
    cases, _ = make_case(district, stream)
    client = login(commission.seats[2].user)
    url = reverse("commissions:case", args=[cases[0].pk])
    page = client.get(url).content.decode()
    assert "Record the decision" not in page
    assert client.post(url, {"decision": "expel"}).status_code == 403


def test_the_navigation_shows_the_commission_to_its_members_only(login, district, commission):
    page = login(commission.seats[2].user).get(reverse("portal:home")).content.decode()
    assert reverse("commissions:queue") in page
    page = login(make_staff(Role.CHAMBER, district=district)).get(reverse("portal:home")).content.decode()
    assert reverse("commissions:queue") not in page


def test_the_protocol_page_polls_while_rendering_and_links_the_pdf_when_ready(login, district, stream, commission):
    apps, session = make_defended_via_commission(district, stream, 1)
    client = login(commission.secretary)
    fragment = client.get(reverse("commissions:protocol", args=[session.code]), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" in fragment and 'data-testid="protocol-link"' not in fragment
    from commissions import tasks

    tasks.render_protocol_task(session.pk)
    fragment = client.get(reverse("commissions:protocol", args=[session.code]), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment and 'data-testid="protocol-link"' in fragment
    response = client.get(reverse("commissions:protocol_pdf", args=[session.code]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_the_participants_timeline_shows_the_outcome(login, district, stream):
    apps, session = make_defended_via_commission(district, stream, 1, defended=False)
    page = login(apps[0].applicant).get(reverse("applications:status", args=[apps[0].code])).content.decode()
    assert "Business plan not defended" in page and "Mean score 0.00 % of the maximum" in page


def test_the_participant_sees_their_defence_and_its_outcome_on_the_status_page(login, district, stream):
    apps, session = make_defended_via_commission(district, stream, 1)
    page = login(apps[0].applicant).get(reverse("applications:status", args=[apps[0].code])).content.decode()
    assert (
        'data-testid="defence-card"' in page
        and "<strong>Defended</strong> · mean score 100.00 % of the maximum" in page
    )


def _waiting_group(district, stream, name):
    """A group whose course ended, its participants' plans frozen: it waits for a defence session."""
    apps, group = make_finished(district, stream, 1, group_name=name)
    for application in apps:
        make_frozen_plan(application)
    return group


def test_groups_waiting_for_a_session_cost_the_same_for_3_as_for_1(login, district, stream, commission):
    first = _waiting_group(district, stream, "Group W1")
    after = datetime.datetime.combine(first.days.order_by("-date").first().date, datetime.time(6), tzinfo=datetime.UTC)
    with time_machine.travel(after + datetime.timedelta(days=1), tick=False):
        client = login(commission.secretary)
        one, page = count_queries(client, reverse("commissions:queue"))
    assert "Group W1" in page
    for name in ("Group W2", "Group W3"):
        _waiting_group(district, stream, name)
    with time_machine.travel(after + datetime.timedelta(days=1), tick=False):
        three, page = count_queries(client, reverse("commissions:queue"))
    assert "Group W3" in page
    assert one == three == QUEUE_QUERIES + 1  # with a group waiting: the members in term for the form


def test_a_refused_schedule_keeps_the_queue_and_what_was_typed(login, district, stream, commission):
    group = _waiting_group(district, stream, "Group W")
    cases, _ = make_case(district, stream, count=1, group_name="Group C")
    last = group.days.order_by("-date").first().date
    with time_machine.travel(datetime.datetime.combine(last, datetime.time(6), tzinfo=datetime.UTC), tick=False):
        client = login(commission.secretary)
        response = client.post(
            reverse("commissions:schedule"),
            {
                "group": group.pk,
                "held_on": last.isoformat(),  # the course's last day: a session comes after it
                "place": "Akimat hall",
                "present": [seat.pk for seat in commission.seats],
            },
        )
    page = response.content.decode()
    assert response.status_code == 400
    assert page.count('data-testid="case"') == 1  # the queue is still there beside the error
    assert 'value="Akimat hall"' in page
