"""The programme year's pass mark decides who becomes a participant, to the tenth of a percent."""

from decimal import Decimal

import pytest

from applications.models import Status, StatusChange
from aptitude import services
from tests.aptitude.helpers import answer, schedule, start, submit
from tests.factories import make_accepted, make_bank

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper(chamber_user, district, stream):
    """A paper session of three accepted applicants."""
    make_accepted(district, stream, 3)
    make_bank(20)
    session = schedule(chamber_user, stream, mode="paper", place="Chamber office, room 2")
    return session, list(session.attempts.order_by("pk"))


def record(chamber_user, session, scores: dict) -> None:
    services.paper_results_record(session_id=session.pk, actor=chamber_user, scores=scores)


def status_of(attempt) -> str:
    attempt.application.refresh_from_db()
    return attempt.application.status


def test_exactly_the_pass_mark_passes_and_a_tenth_below_fails(chamber_user, paper, stream):
    assert stream.year.pass_mark == 60
    session, (at_mark, below, above) = paper

    record(chamber_user, session, {at_mark.pk: Decimal("60.0"), below.pk: Decimal("59.9"), above.pk: Decimal("100")})

    assert [status_of(a) for a in (at_mark, below, above)] == [
        Status.PASSED,
        Status.TEST_FAILED,
        Status.PASSED,
    ]
    below.refresh_from_db()
    assert (below.score_percent, below.passed) == (Decimal("59.9"), False)
    reason = StatusChange.objects.get(application=below.application, to_status=Status.TEST_FAILED).reason
    assert reason == "Score 59.9 % (pass mark 60 %)."


def test_a_lower_pass_mark_on_the_year_lets_a_lower_score_pass(chamber_user, paper, stream):
    stream.year.pass_mark = 50
    stream.year.save(update_fields=["pass_mark"])
    session, (fifty, below, _) = paper

    record(chamber_user, session, {fifty.pk: Decimal("50"), below.pk: Decimal("49.9")})

    assert [status_of(fifty), status_of(below)] == [Status.PASSED, Status.TEST_FAILED]
    reason = StatusChange.objects.get(application=fifty.application, to_status=Status.PASSED).reason
    assert reason == "Score 50 % (pass mark 50 %)."


def test_a_higher_pass_mark_on_the_year_fails_a_score_that_passes_at_sixty(chamber_user, paper, stream):
    stream.year.pass_mark = 70
    stream.year.save(update_fields=["pass_mark"])
    session, (sixty_five, seventy, _) = paper

    record(chamber_user, session, {sixty_five.pk: Decimal("65"), seventy.pk: Decimal("70.0")})

    assert [status_of(sixty_five), status_of(seventy)] == [Status.TEST_FAILED, Status.PASSED]


def test_an_online_test_at_exactly_the_pass_mark_passes(login, chamber_user, district, stream):
    stream.year.pass_mark = 80
    stream.year.save(update_fields=["pass_mark"])
    (application,) = make_accepted(district, stream, 1)
    bank = make_bank(5)
    attempt = schedule(chamber_user, stream, questions_count=5).attempts.get()
    client = login(application.applicant)
    start(client, attempt)
    for question in bank[:4]:
        answer(client, attempt, question, [c.pk for c in question.choices.all() if c.is_correct])

    submit(client, attempt)

    attempt.refresh_from_db()
    assert (attempt.score_percent, attempt.passed) == (Decimal("80.0"), True)
    assert status_of(attempt) == Status.PASSED
