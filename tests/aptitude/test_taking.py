"""The citizen takes the test online: start, answers saved as they go, reloads, submit, time-out."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from applications.models import Status, StatusChange
from aptitude import services
from aptitude.models import Answer, Question
from aptitude.tasks import submit_expired_attempts_task
from tests.aptitude.helpers import (
    CLOSES,
    MINUTE,
    NOW,
    OPENS,
    answer,
    checked_on,
    question_ids_on,
    right,
    schedule,
    seconds_left,
    start,
    submit,
    take_url,
    wrong,
)
from tests.factories import make_accepted, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank(db):
    """Five questions: four with one right answer (the first), one with two right answers."""
    return [*(make_question() for _ in range(4)), make_question(kind="multiple", correct=(0, 1))]


@pytest.fixture
def attempt(chamber_user, district, stream, bank):
    """One accepted applicant invited to a 30-minute online test of the five questions."""
    (application,) = make_accepted(district, stream, 1)
    session = schedule(chamber_user, stream, questions_count=5, duration_minutes=30)
    return session.attempts.get(application=application)


@pytest.fixture
def citizen_client(login, attempt):
    return login(attempt.application.applicant)


def relogin(client, attempt):
    """Log in again after hours away: a citizen's session ends after 2 idle hours."""
    client.force_login(attempt.application.applicant, backend="accounts.backends.PhoneOrEmailBackend")


def in_order(attempt) -> list[Question]:
    by_id = Question.objects.in_bulk(attempt.question_ids)
    return [by_id[pk] for pk in attempt.question_ids]


def answer_right(client, attempt, count):
    """Answer the first `count` questions right and the rest wrong."""
    for n, question in enumerate(in_order(attempt)):
        chosen = right(question) if n < count else wrong(question)[:1]
        assert answer(client, attempt, question, chosen).status_code == 200


def refresh(obj):
    obj.refresh_from_db()
    return obj


# --- Starting ------------------------------------------------------------------------------------


def test_the_start_page_tells_the_rules_and_offers_to_start(citizen_client, attempt):
    response = citizen_client.get(take_url(attempt))

    assert response.status_code == 200
    assert "5 questions, 30 minutes. You have one attempt." in response.text
    assert reverse("aptitude:start", args=[attempt.code]) in response.text
    assert question_ids_on(response.text) == []
    assert refresh(attempt).started_at is None  # looking at the page does not start the clock


def test_starting_sets_the_clock_and_shows_the_questions_in_the_attempts_own_order(citizen_client, attempt):
    response = start(citizen_client, attempt)

    assert response.status_code == 302
    assert response.url == take_url(attempt)
    attempt.refresh_from_db()
    assert (attempt.started_at, attempt.deadline_at) == (NOW, NOW + 30 * MINUTE)
    page = citizen_client.get(take_url(attempt)).text
    assert question_ids_on(page) == attempt.question_ids
    assert seconds_left(page) == 30 * 60
    assert page.count('data-testid="question"') == 5


@pytest.mark.parametrize(("language", "field"), [("kk", "text_kk"), ("ru", "text_ru"), ("en", "text_en")])
def test_the_questions_and_answers_are_in_the_citizens_language(citizen_client, attempt, language, field):
    user = attempt.application.applicant
    user.language = language
    user.save(update_fields=["language"])
    start(citizen_client, attempt)

    page = citizen_client.get(take_url(attempt)).text

    for question in in_order(attempt):
        assert getattr(question, field) in page
        for other in {"text_kk", "text_ru", "text_en"} - {field}:
            assert f"{getattr(question, other)}<" not in page
        for choice in question.choices.all():
            assert f">{getattr(choice, field)}</label>" in page


# --- Answering -----------------------------------------------------------------------------------


def test_an_answer_is_saved_as_soon_as_it_is_given(citizen_client, attempt):
    start(citizen_client, attempt)
    question = in_order(attempt)[0]

    response = answer(citizen_client, attempt, question, wrong(question)[:1])

    assert response.status_code == 200
    assert "Saved" in response.text
    assert Answer.objects.get(attempt=attempt, question=question).choice_ids == wrong(question)[:1]
    answer(citizen_client, attempt, question, right(question))  # changing one's mind replaces the answer
    assert Answer.objects.get(attempt=attempt, question=question).choice_ids == right(question)


def test_several_answers_are_saved_for_a_multiple_choice_question(citizen_client, attempt, bank):
    start(citizen_client, attempt)
    question = bank[4]

    answer(citizen_client, attempt, question, right(question))

    assert sorted(Answer.objects.get(question=question).choice_ids) == sorted(right(question))


def test_two_answers_to_a_one_answer_question_are_refused(citizen_client, attempt, bank):
    start(citizen_client, attempt)
    question = bank[0]

    response = answer(citizen_client, attempt, question, [*right(question), wrong(question)[0]])

    assert response.status_code == 409
    assert "Choose one answer." in response.text
    assert not Answer.objects.exists()


def test_an_answer_to_a_question_that_is_not_in_the_test_is_refused(citizen_client, attempt):
    start(citizen_client, attempt)
    stranger = make_question()

    response = answer(citizen_client, attempt, stranger, right(stranger))

    assert response.status_code == 409
    assert "This question is not in your test." in response.text
    assert not Answer.objects.exists()


def test_an_answer_before_starting_is_refused(citizen_client, attempt, bank):
    response = answer(citizen_client, attempt, bank[0], right(bank[0]))

    assert response.status_code == 409
    assert "Start the test first." in response.text


def test_after_a_dropped_connection_the_page_shows_the_saved_answers_and_the_clock_runs_on(citizen_client, attempt):
    start(citizen_client, attempt)
    first, second = in_order(attempt)[:2]
    answer(citizen_client, attempt, first, right(first))
    answer(citizen_client, attempt, second, wrong(second)[:1])
    started_at, deadline_at = refresh(attempt).started_at, attempt.deadline_at

    with time_machine.travel(NOW + 10 * MINUTE, tick=False):
        start(citizen_client, attempt)  # pressing "Start" again on an old tab
        page = citizen_client.get(take_url(attempt)).text

    assert checked_on(page) == {*right(first), wrong(second)[0]}
    assert seconds_left(page) == 20 * 60
    assert (refresh(attempt).started_at, attempt.deadline_at) == (started_at, deadline_at)
    assert page.count("✓ Saved") == 2


# --- Submitting ----------------------------------------------------------------------------------


def test_submitting_scores_on_the_server_and_sixty_percent_makes_a_participant(citizen_client, attempt):
    start(citizen_client, attempt)
    answer_right(citizen_client, attempt, 3)

    response = submit(citizen_client, attempt, score="100", passed="true")  # what the browser says is ignored

    assert response.redirect_chain[-1][0] == reverse("applications:status", args=[attempt.application.code])
    attempt.refresh_from_db()
    assert (attempt.score_percent, attempt.points, attempt.passed, attempt.timed_out) == (
        Decimal("60.0"),
        Decimal("3.00"),
        True,
        False,
    )
    assert attempt.submitted_at == NOW
    assert refresh(attempt.application).status == Status.PASSED
    change = StatusChange.objects.get(application=attempt.application, to_status=Status.PASSED)
    assert change.from_status == Status.ACCEPTED
    assert change.reason == "Score 60.0 % (pass mark 60 %)."
    assert change.actor == attempt.application.applicant
    assert "Your test has been submitted." in response.text
    assert "60.0 %" in response.text


def test_too_few_right_answers_end_the_application_as_test_failed(citizen_client, attempt):
    start(citizen_client, attempt)
    answer_right(citizen_client, attempt, 2)

    submit(citizen_client, attempt)

    assert refresh(attempt).passed is False
    assert attempt.score_percent == Decimal("40.0")
    assert refresh(attempt.application).status == Status.TEST_FAILED
    change = StatusChange.objects.get(application=attempt.application, to_status=Status.TEST_FAILED)
    assert change.reason == "Score 40.0 % (pass mark 60 %)."


def test_the_score_is_kept_per_category(citizen_client, attempt):
    start(citizen_client, attempt)
    answer_right(citizen_client, attempt, 5)

    submit(citizen_client, attempt)

    assert refresh(attempt).category_scores == {"": {"points": 5.0, "max": 5}}
    assert attempt.score_percent == Decimal("100.0")


def test_a_second_submit_is_refused_and_changes_nothing(citizen_client, attempt):
    start(citizen_client, attempt)
    answer_right(citizen_client, attempt, 2)
    submit(citizen_client, attempt)
    first = refresh(attempt).submitted_at

    with time_machine.travel(NOW + 5 * MINUTE, tick=False):
        response = submit(citizen_client, attempt)

    assert "You have already submitted this test." in response.text
    assert refresh(attempt).submitted_at == first
    assert StatusChange.objects.filter(application=attempt.application, to_status=Status.TEST_FAILED).count() == 1


def test_answering_after_submitting_is_refused(citizen_client, attempt):
    start(citizen_client, attempt)
    answer_right(citizen_client, attempt, 2)
    submit(citizen_client, attempt)
    question = in_order(attempt)[4]

    response = answer(citizen_client, attempt, question, right(question))

    assert response.status_code == 409
    assert "You have already submitted this test." in response.text
    assert Answer.objects.get(question=question).choice_ids == wrong(question)[:1]
    assert refresh(attempt).score_percent == Decimal("40.0")


def test_the_submitted_test_page_leads_back_to_the_status_page(citizen_client, attempt):
    start(citizen_client, attempt)
    submit(citizen_client, attempt)

    response = citizen_client.get(take_url(attempt))

    assert response.status_code == 302
    assert response.url == reverse("applications:status", args=[attempt.application.code])


# --- Time-out ------------------------------------------------------------------------------------


def test_an_answer_after_the_deadline_is_refused_and_the_answers_given_are_submitted(citizen_client, attempt):
    start(citizen_client, attempt)
    answer_right(citizen_client, attempt, 3)
    late = in_order(attempt)[3]

    with time_machine.travel(NOW + 30 * MINUTE, tick=False):
        response = answer(citizen_client, attempt, late, right(late))

    assert response.status_code == 409
    assert "The time is up" in response.text
    assert Answer.objects.get(question=late).choice_ids == wrong(late)[:1]  # the late answer is not taken
    attempt.refresh_from_db()
    assert attempt.submitted_at == NOW + 30 * MINUTE
    assert (attempt.timed_out, attempt.score_percent, attempt.passed) == (True, Decimal("60.0"), True)
    assert refresh(attempt.application).status == Status.PASSED
    assert response["HX-Redirect"] == reverse("applications:status", args=[attempt.application.code])


def test_opening_the_page_after_the_deadline_submits_what_was_answered(citizen_client, attempt):
    start(citizen_client, attempt)
    answer_right(citizen_client, attempt, 3)

    with time_machine.travel(NOW + 45 * MINUTE, tick=False):
        response = citizen_client.get(take_url(attempt))

    assert response.status_code == 302
    assert response.url == reverse("applications:status", args=[attempt.application.code])
    attempt.refresh_from_db()
    assert (attempt.timed_out, attempt.score_percent) == (True, Decimal("60.0"))
    assert refresh(attempt.application).status == Status.PASSED


def test_submitting_after_the_deadline_counts_as_timed_out(citizen_client, attempt):
    start(citizen_client, attempt)
    answer_right(citizen_client, attempt, 1)

    with time_machine.travel(NOW + 31 * MINUTE, tick=False):
        submit(citizen_client, attempt)

    attempt.refresh_from_db()
    assert (attempt.timed_out, attempt.score_percent, attempt.passed) == (True, Decimal("20.0"), False)


def test_abandoned_tests_are_submitted_once_when_their_time_runs_out(login, chamber_user, district, stream, bank):
    abandoned, finished, latecomer, never = make_accepted(district, stream, 4)
    session = schedule(chamber_user, stream, questions_count=5, duration_minutes=30)
    attempts = {a.application_id: a for a in session.attempts.all()}
    client = login(abandoned.applicant)
    start(client, attempts[abandoned.pk])
    answer_right(client, attempts[abandoned.pk], 4)
    client = login(finished.applicant)
    start(client, attempts[finished.pk])
    submit(client, attempts[finished.pk])
    with time_machine.travel(NOW + 20 * MINUTE, tick=False):
        start(login(latecomer.applicant), attempts[latecomer.pk])  # their time runs until 09:50

    with time_machine.travel(NOW + 31 * MINUTE, tick=False):
        assert submit_expired_attempts_task.delay().get() == 1
        assert services.submit_expired() == 0  # running it again submits nobody twice

    abandoned_attempt = refresh(attempts[abandoned.pk])
    assert abandoned_attempt.timed_out is True
    assert abandoned_attempt.score_percent == Decimal("80.0")
    assert refresh(abandoned).status == Status.PASSED
    assert StatusChange.objects.filter(application=abandoned, to_status=Status.PASSED).count() == 1
    assert refresh(attempts[finished.pk]).timed_out is False
    assert refresh(attempts[latecomer.pk]).submitted_at is None
    assert refresh(attempts[never.pk]).submitted_at is None  # never started: no deadline, nothing to submit
    assert refresh(latecomer).status == refresh(never).status == Status.ACCEPTED

    with time_machine.travel(NOW + 51 * MINUTE, tick=False):
        assert services.submit_expired() == 1
        assert services.submit_expired() == 0
    assert refresh(attempts[latecomer.pk]).score_percent == Decimal("0.0")
    assert StatusChange.objects.filter(application=latecomer, to_status=Status.TEST_FAILED).count() == 1


# --- One attempt, within the session's hours ----------------------------------------------------


def test_the_test_cannot_be_started_before_the_session_opens(citizen_client, attempt):
    with time_machine.travel(OPENS - MINUTE, tick=False):
        page = citizen_client.get(take_url(attempt)).text
        response = start(citizen_client, attempt)
        after = citizen_client.get(response.url).text

    assert reverse("aptitude:start", args=[attempt.code]) not in page  # no start button yet
    assert "The test opens at 01.12.2026 09:00." in after
    assert refresh(attempt).started_at is None


def test_the_test_cannot_be_started_once_the_session_has_closed(citizen_client, attempt):
    with time_machine.travel(CLOSES, tick=False):
        relogin(citizen_client, attempt)
        page = citizen_client.get(take_url(attempt)).text
        response = start(citizen_client, attempt)
        after = citizen_client.get(response.url).text

    assert reverse("aptitude:start", args=[attempt.code]) not in page
    assert "The test session has closed." in after
    assert refresh(attempt).started_at is None


def test_the_deadline_is_the_start_plus_the_time_allowed(citizen_client, attempt):
    with time_machine.travel(OPENS + 2 * 60 * MINUTE, tick=False):
        relogin(citizen_client, attempt)
        start(citizen_client, attempt)

    assert refresh(attempt).deadline_at == OPENS + 2 * 60 * MINUTE + 30 * MINUTE


def test_the_deadline_is_the_session_close_when_that_comes_first(citizen_client, attempt):
    late_start = CLOSES - 10 * MINUTE
    with time_machine.travel(late_start, tick=False):
        relogin(citizen_client, attempt)
        start(citizen_client, attempt)
        page = citizen_client.get(take_url(attempt)).text

    assert (refresh(attempt).started_at, attempt.deadline_at) == (late_start, CLOSES)
    assert seconds_left(page) == 10 * 60


def test_the_clock_on_the_page_counts_down_to_the_deadline(citizen_client, attempt):
    start(citizen_client, attempt)
    left = []
    for minutes in (1, 12, 29):
        with time_machine.travel(NOW + minutes * MINUTE + datetime.timedelta(seconds=30), tick=False):
            left.append(seconds_left(citizen_client.get(take_url(attempt)).text))

    assert left == [(30 - 1) * 60 - 30, (30 - 12) * 60 - 30, 30]


def test_submitting_asks_first_how_many_were_answered_and_submits_only_when_confirmed(citizen_client, attempt):
    start(citizen_client, attempt)
    first = in_order(attempt)[0]
    answer(citizen_client, attempt, first, right(first))
    second = in_order(attempt)[1]

    # The test form's own POST (a second answer carried without JavaScript) only asks.
    asked = citizen_client.post(reverse("aptitude:submit", args=[attempt.code]), {f"q{second.pk}": right(second)})

    assert asked.status_code == 200
    assert "You have answered 2 of 5 questions." in asked.text
    assert "3 questions have no answer" in asked.text
    assert 'name="confirm" value="1"' in asked.text
    assert refresh(attempt).submitted_at is None
    assert Answer.objects.filter(attempt=attempt).count() == 2  # the carried answer was saved

    submit(citizen_client, attempt)  # the confirmation page's POST
    assert refresh(attempt).submitted_at is not None


def test_an_invited_applicants_next_step_is_the_online_test_with_its_closing_time(attempt):
    from applications.next_step import next_steps_for

    application = attempt.application
    (step,) = next_steps_for(application, application.applicant)
    assert step["title"] == "Take the aptitude test"
    assert step["url"] == take_url(attempt)
    assert "01.12.2026 17:00" in step["body"]  # CLOSES in Almaty time
    assert step["tone"] == "action"
