"""What happens to a test when its applicant withdraws, and the limits of a session."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications import services as application_services
from applications.models import Status
from aptitude import services
from aptitude.models import Attempt, Choice, Question, TestSession
from tests.aptitude.helpers import NOW, schedule
from tests.factories import make_accepted, make_bank

pytestmark = pytest.mark.django_db


def test_a_withdrawn_applicants_started_test_does_not_block_the_others_at_time_out(district, stream, chamber_user):
    make_bank(25)
    gone, stays = make_accepted(district, stream, count=2)
    schedule(chamber_user, stream)
    for application in (gone, stays):
        services.attempt_start(attempt_id=application.attempt.pk, user=application.applicant)
    application_services.application_withdraw(application_id=gone.pk, actor=gone.applicant)
    with time_machine.travel(NOW + datetime.timedelta(hours=9), tick=False):
        assert services.submit_expired() == 1  # only the one still going
    stays.refresh_from_db()
    gone.refresh_from_db()
    assert stays.status == Status.TEST_FAILED and gone.status == Status.WITHDRAWN
    assert Attempt.objects.get(application=gone).submitted_at is not None


def test_a_withdrawn_applicant_is_not_offered_the_test(login, district, stream, chamber_user):
    make_bank(25)
    (application,) = make_accepted(district, stream)
    schedule(chamber_user, stream)
    client = login(application.applicant)
    client.post(reverse("applications:withdraw", args=[application.code]))
    page = client.get(reverse("applications:status", args=[application.code]))
    assert reverse("aptitude:take", args=[application.attempt.code]) not in page.text


def _bank_of(count):
    """`count` active questions with two choices each, made in two queries."""
    questions = Question.objects.bulk_create(
        Question(kind="single", text_kk=f"Сұрақ {n}", text_ru=f"Вопрос {n}", text_en=f"Question {n}")
        for n in range(count)
    )
    Choice.objects.bulk_create(
        Choice(question=q, text_kk=str(i), text_ru=str(i), text_en=str(i), is_correct=i == 0, position=i)
        for q in questions
        for i in range(2)
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        pytest.param("duration_minutes", 0, "The test lasts from 5 to 240 minutes.", id="duration_minutes-0"),
        pytest.param("duration_minutes", 241, "The test lasts from 5 to 240 minutes.", id="duration_minutes-241"),
        pytest.param("questions_count", 0, "A test has from 5 to 100 questions.", id="questions_count-0"),
        pytest.param("questions_count", 101, "A test has from 5 to 100 questions.", id="questions_count-101"),
    ],
)
def test_a_session_must_have_sensible_length_and_questions(district, stream, chamber_user, field, value, message):
    # A bank big enough for 101 questions: the refusal must come from the range, not a small bank.
    _bank_of(110)
    make_accepted(district, stream)
    with pytest.raises(ValidationError) as info:
        schedule(chamber_user, stream, **{field: value})
    assert info.value.message_dict == {field: [message]}
    assert not TestSession.objects.exists()


def test_a_session_of_a_hundred_questions_is_allowed(district, stream, chamber_user):
    _bank_of(110)
    make_accepted(district, stream)
    session = schedule(chamber_user, stream, questions_count=100, duration_minutes=240)
    assert len(Attempt.objects.get(session=session).question_ids) == 100


def test_the_schedule_form_reports_a_zero_length_test_on_its_field(login, district, stream, chamber_user):
    make_bank(25)
    make_accepted(district, stream)
    response = login(chamber_user).post(
        reverse("aptitude:sessions"),
        {
            "stream": stream.pk,
            "mode": "online",
            "starts_at": "2026-12-01T09:00",
            "closes_at": "2026-12-01T17:00",
            "duration_minutes": 0,
            "questions_count": 20,
        },
    )
    assert "duration_minutes" in response.context["form"].errors
    assert not Attempt.objects.exists()


def test_a_score_that_is_not_a_number_is_refused(district, stream, chamber_user):
    make_bank(25)
    (application,) = make_accepted(district, stream)
    session = schedule(chamber_user, stream, mode="paper")
    with pytest.raises(ValidationError):
        services.paper_results_record(
            session_id=session.pk, actor=chamber_user, scores={application.attempt.pk: Decimal("NaN")}
        )
