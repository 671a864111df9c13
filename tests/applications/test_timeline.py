"""The status page's timeline, built from the declared path and the history (issue 7, part 2),
for every state that exists today, each reached through the services as the pages reach it."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role
from applications import pathway, services
from applications.models import Status
from aptitude import services as aptitude_services
from tests.factories import StreamFactory, make_accepted, make_application, make_bank, make_modules, make_staff
from tests.training.helpers import make_group, put

pytestmark = pytest.mark.django_db

SUBMITTED = ("Application submitted", "done")


@pytest.fixture
def stream(db):
    return StreamFactory()


def window(stream):
    return datetime.datetime.combine(stream.application_opens, datetime.time(12), tzinfo=datetime.UTC)


def steps_of(application):
    application.refresh_from_db()
    return [(step.title, step.state) for step in pathway.timeline(application, application.changes.all())]


def after_the_test(district, stream, score):
    (application,) = make_accepted(district, stream, 1)
    make_bank(5)
    chamber = make_staff(Role.CHAMBER, district=district)
    now = datetime.datetime.now(tz=datetime.UTC)
    session = aptitude_services.session_schedule(
        actor=chamber,
        stream=stream,
        mode="paper",
        starts_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(hours=1),
        questions_count=5,
    )
    aptitude_services.paper_results_record(
        session_id=session.pk, actor=chamber, scores={session.attempts.get().pk: Decimal(score)}
    )
    application.refresh_from_db()
    return application, chamber


def test_submitted_the_centre_is_checking_now_and_the_rest_is_to_come(district):
    steps = steps_of(make_application(district=district))
    assert steps[0] == SUBMITTED
    assert steps[1] == ("The employment centre is checking your eligibility", "current")
    assert [state for _, state in steps[2:]] == ["upcoming"] * 8
    assert steps[2][0] == "Your name goes on the list for the Chamber of Entrepreneurs"  # to come, not "done"
    assert steps[-1] == ("Loan referral, if you wish to borrow for your business", "upcoming")


def test_eligible_the_list_is_being_prepared(district):
    steps = steps_of(make_application(district=district, status=Status.ELIGIBLE))
    assert steps[:3] == [
        SUBMITTED,
        ("Eligible: you belong to the programme's target group", "done"),
        ("The employment centre is preparing the list for the Chamber", "current"),
    ]


def test_not_eligible_ends_the_path_at_the_decision_with_its_reason(district):
    application = make_application(district=district, status=Status.INELIGIBLE)
    timeline = pathway.timeline(application, application.changes.all())
    assert [(s.title, s.state) for s in timeline] == [SUBMITTED, ("Not eligible", "failed")]
    assert "Not of the target group" in timeline[-1].detail and timeline[-1].actor


def test_listed_the_chamber_is_receiving_the_list(district, stream):
    application = make_application(district=district, status=Status.ELIGIBLE, now=window(stream))
    centre = make_staff(Role.EMPLOYMENT_CENTRE, district=district)
    applicant_list = services.applicant_list_create(actor=centre, stream=stream)
    services.applicant_list_send(list_id=applicant_list.pk, actor=centre)
    steps = steps_of(application)
    assert steps[2] == ("Sent to the Chamber of Entrepreneurs", "done")
    assert steps[3] == ("The Chamber of Entrepreneurs is receiving the list", "current")


def test_accepted_waits_for_the_test(district, stream):
    (application,) = make_accepted(district, stream, 1)
    steps = steps_of(application)
    assert steps[3] == ("Accepted by the Chamber of Entrepreneurs", "done")
    assert steps[4] == ("Waiting for the aptitude test: the Chamber will invite you", "current")
    assert steps[5] == ("A place in a training group", "upcoming")


def test_passed_shows_the_test_done_with_its_score_and_the_placement_as_current(district, stream):
    application, _ = after_the_test(district, stream, 80)
    timeline = pathway.timeline(application, application.changes.all())
    test_step = timeline[4]
    assert (test_step.title, test_step.state) == ("Passed the aptitude test", "done")
    assert "Score 80" in test_step.detail
    assert (timeline[5].title, timeline[5].state) == ("The Chamber is placing you in a training group", "current")
    assert [s.state for s in timeline[6:]] == ["upcoming"] * 4


def test_failed_ends_the_path_at_the_test_with_its_score(district, stream):
    application, _ = after_the_test(district, stream, 20)
    timeline = pathway.timeline(application, application.changes.all())
    assert [s.state for s in timeline] == ["done"] * 4 + ["failed"]
    assert timeline[-1].title == "Did not pass the aptitude test" and "Score 20" in timeline[-1].detail


def test_placed_shows_the_group_and_the_training_about_to_start(district, stream):
    make_modules()
    application, chamber = after_the_test(district, stream, 90)
    put(chamber, make_group(chamber, stream), [application])
    steps = steps_of(application)
    assert steps[5] == ("Placed in a training group", "done")
    assert steps[6] == ("Your training is about to start: see your group and schedule", "current")
    assert [state for _, state in steps[7:]] == ["upcoming"] * 3


@pytest.mark.parametrize("point", ["submitted", "eligible", "listed", "accepted", "passed", "placed"])
def test_a_withdrawal_at_any_point_keeps_what_was_done_and_says_where_it_ended(district, stream, point):
    if point in ("passed", "placed"):
        make_modules()
        application, chamber = after_the_test(district, stream, 90)
        if point == "placed":
            put(chamber, make_group(chamber, stream), [application])
    elif point == "accepted":
        (application,) = make_accepted(district, stream, 1)
    else:
        application = make_application(
            district=district, status=None if point == "submitted" else Status.ELIGIBLE, now=window(stream)
        )
        if point == "listed":
            centre = make_staff(Role.EMPLOYMENT_CENTRE, district=district)
            applicant_list = services.applicant_list_create(actor=centre, stream=stream)
            services.applicant_list_send(list_id=applicant_list.pk, actor=centre)
    done_before = [title for title, state in steps_of(application) if state == "done"]

    services.application_withdraw(application_id=application.pk, actor=application.applicant, reason="Moved away.")
    application.refresh_from_db()

    timeline = pathway.timeline(application, application.changes.all())
    assert [s.title for s in timeline[:-1]] == done_before and {s.state for s in timeline[:-1]} == {"done"}
    assert (timeline[-1].title, timeline[-1].state, timeline[-1].detail) == (
        "Application withdrawn",
        "failed",
        "Moved away.",
    )


def test_the_status_page_shows_the_timeline_the_declaration_builds(login, district, stream):
    application, _ = after_the_test(district, stream, 80)
    page = login(application.applicant).get(reverse("applications:status", args=[application.code])).text
    assert page.count('data-testid="step-done"') == 5
    assert page.count('data-testid="step-current"') == 1
    assert "The Chamber is placing you in a training group" in page
