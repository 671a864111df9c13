"""The district's Chamber branch schedules a test session: who is invited and which questions they draw.

These tests call aptitude.services.session_schedule itself (not the fallback in helpers.schedule)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Role
from applications.models import Status
from aptitude import services
from aptitude.models import Attempt, Question, TestSession
from tests.aptitude.helpers import CLOSES, OPENS
from tests.factories import (
    make_accepted,
    make_application,
    make_bank,
    make_other_stream,
    make_participants,
    make_staff,
)

pytestmark = pytest.mark.django_db


def schedule(actor, stream, **kwargs) -> TestSession:
    return services.session_schedule(
        actor=actor, stream=stream, mode="online", starts_at=OPENS, closes_at=CLOSES, **kwargs
    )


def test_every_accepted_applicant_of_the_stream_gets_one_attempt_with_distinct_questions_from_the_active_bank(
    chamber_user, district, stream
):
    applicants = make_accepted(district, stream, 5)
    active = make_bank(40)
    retired = make_bank(10)
    Question.objects.filter(pk__in=[q.pk for q in retired]).update(is_active=False)

    session = schedule(chamber_user, stream, questions_count=20)

    attempts = list(session.attempts.all())
    assert sorted(a.application_id for a in attempts) == [a.pk for a in applicants]
    active_ids = {q.pk for q in active}
    for attempt in attempts:
        assert len(attempt.question_ids) == 20
        assert len(set(attempt.question_ids)) == 20
        assert set(attempt.question_ids) <= active_ids  # a question taken out of use is never drawn
    assert (session.district, session.stream, session.created_by) == (district, stream, chamber_user)


def test_each_applicant_gets_the_questions_in_an_order_of_their_own(chamber_user, district, stream):
    make_accepted(district, stream, 5)
    make_bank(40)

    session = schedule(chamber_user, stream, questions_count=20)

    orders = {tuple(a.question_ids) for a in session.attempts.all()}
    assert len(orders) > 1  # 20 of 40 drawn five times: the same order twice is all but impossible


def test_applicants_of_another_district_or_stream_or_not_accepted_are_not_invited(
    chamber_user, district, other_district, stream
):
    already_in = make_participants(district, stream, 1)  # tested in an earlier session
    invited = make_accepted(district, stream, 2)
    elsewhere = make_accepted(other_district, stream, 1)
    other_stream = make_accepted(district, make_other_stream(), 1)
    window = datetime.datetime.combine(stream.application_opens, datetime.time(12), tzinfo=datetime.UTC)
    eligible = make_application(district=district, status=Status.ELIGIBLE, now=window)
    assert eligible.stream == stream
    make_bank(20)

    session = schedule(chamber_user, stream)

    assert {a.application_id for a in session.attempts.all()} == {a.pk for a in invited}
    for application in [*elsewhere, *other_stream, eligible]:
        assert not Attempt.objects.filter(application=application).exists()
    assert Attempt.objects.get(application=already_in[0]).session != session  # one attempt, the earlier one


def test_a_bank_smaller_than_the_test_is_refused_with_the_number_of_questions_in_use(chamber_user, district, stream):
    make_accepted(district, stream, 2)
    make_bank(10)
    Question.objects.filter(pk__in=[q.pk for q in make_bank(15)]).update(is_active=False)

    with pytest.raises(ValidationError) as info:
        schedule(chamber_user, stream, questions_count=20)

    assert info.value.message_dict == {"questions_count": ["The bank has only 10 questions in use."]}
    assert not TestSession.objects.exists()
    assert not Attempt.objects.exists()


def test_scheduling_again_invites_only_those_not_yet_invited(chamber_user, district, stream):
    first = make_accepted(district, stream, 2)
    make_bank(20)
    schedule(chamber_user, stream)
    latecomer = make_accepted(district, stream, 1)

    second = schedule(chamber_user, stream)

    assert [a.application_id for a in second.attempts.all()] == [latecomer[0].pk]
    for application in [*first, *latecomer]:
        assert Attempt.objects.filter(application=application).count() == 1
    with pytest.raises(ValidationError, match="No accepted applicants of this stream are waiting"):
        schedule(chamber_user, stream)
    assert TestSession.objects.count() == 2


@pytest.mark.parametrize("role", [Role.TRAINER, Role.EMPLOYMENT_CENTRE])
def test_only_the_chamber_schedules_a_test(role, district, stream):
    make_accepted(district, stream, 1)
    make_bank(20)

    with pytest.raises(PermissionDenied):
        schedule(make_staff(role, district=district), stream)

    assert not TestSession.objects.exists()


def test_the_chamber_schedules_from_the_sessions_page_and_lands_on_the_new_session(
    login, chamber_user, district, stream
):
    make_accepted(district, stream, 3)
    make_bank(20)
    client = login(chamber_user)

    response = client.post(
        reverse("aptitude:sessions"),
        {
            "stream": stream.pk,
            "mode": "online",
            "starts_at": "2026-12-01T09:00",
            "closes_at": "2026-12-01T17:00",
            "place": "",
            "duration_minutes": 30,
            "questions_count": 20,
        },
        follow=True,
    )

    session = TestSession.objects.get()
    assert response.redirect_chain == [(reverse("aptitude:session", args=[session.code]), 302)]
    assert "The test is scheduled for 3 applicants." in response.text
    assert response.text.count('data-testid="attempt-row"') == 3


def test_the_sessions_stream_select_starts_on_the_stream_under_way_not_a_later_one(login, chamber_user, stream):
    later = make_other_stream(  # the next stream, created already
        year=stream.year,
        application_opens=datetime.date(2026, 12, 20),
        application_closes=datetime.date(2027, 1, 10),
        course_start=datetime.date(2027, 1, 18),
    )
    earlier = make_other_stream(  # and the one before, finished
        year=stream.year,
        application_opens=datetime.date(2026, 9, 1),
        application_closes=datetime.date(2026, 9, 20),
        course_start=datetime.date(2026, 10, 5),
    )
    response = login(chamber_user).get(reverse("aptitude:sessions"))

    assert f'<option value="{stream.pk}" selected>' in response.text
    assert f'<option value="{later.pk}">' in response.text and f'<option value="{earlier.pk}">' in response.text
