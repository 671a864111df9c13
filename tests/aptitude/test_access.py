"""Nobody sees the right answers, and nobody opens a test or a session that is not theirs."""

import re

import pytest
from django.urls import reverse

from accounts.models import Role
from applications.models import Status
from aptitude.models import Answer, Question
from tests.aptitude.helpers import answer, right, schedule, start, submit, take_url
from tests.factories import make_accepted, make_bank, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempts(chamber_user, district, stream):
    make_bank(4)
    make_bank(4, kind="multiple", correct=(1, 3))
    make_accepted(district, stream, 2)
    return list(schedule(chamber_user, stream, questions_count=8).attempts.order_by("pk"))


def choice_inputs(html: str, question_pk: int) -> list[str]:
    return re.findall(rf'<input [^>]*name="q{question_pk}"[^>]*>', html)


def test_the_test_page_does_not_tell_right_choices_from_wrong_ones(login, attempts):
    attempt = attempts[0]
    client = login(attempt.application.applicant)
    start(client, attempt)

    page = client.get(take_url(attempt)).text

    assert "correct" not in page.lower()
    assert "is_correct" not in page
    for question_pk in attempt.question_ids:
        inputs = choice_inputs(page, question_pk)
        assert len(inputs) == 4
        shapes = {re.sub(r'(value="|id="c)\d+"', r'\1N"', tag) for tag in inputs}
        assert len(shapes) == 1  # the right and the wrong choices are rendered alike


def test_the_answer_response_does_not_tell_whether_the_answer_was_right(login, attempts):
    attempt = attempts[0]
    client = login(attempt.application.applicant)
    start(client, attempt)
    question = Question.objects.get(pk=attempt.question_ids[0])
    wrong_choice = next(c.pk for c in question.choices.all() if not c.is_correct)

    right_reply = answer(client, attempt, question, right(question)).text
    wrong_reply = answer(client, attempt, question, [wrong_choice]).text

    assert right_reply == wrong_reply


@pytest.mark.parametrize("action", ["take", "start", "answer", "submit"])
def test_a_citizen_cannot_open_another_citizens_test(login, attempts, action):
    mine, theirs = attempts
    start(login(theirs.application.applicant), theirs)
    client = login(mine.application.applicant)
    url = reverse(f"aptitude:{action}", args=[theirs.code])

    if action == "take":
        response = client.get(url)
    else:
        response = client.post(url, {"question": theirs.question_ids[0], f"q{theirs.question_ids[0]}": []})

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.submitted_at is None
    assert not Answer.objects.filter(attempt=theirs).exists()
    theirs.application.refresh_from_db()
    assert theirs.application.status == Status.ACCEPTED


def test_staff_cannot_take_or_submit_a_citizens_test(login, chamber_user, attempts):
    client = login(chamber_user)
    attempt = attempts[0]

    assert client.get(take_url(attempt)).status_code == 404
    assert submit(client, attempt).status_code == 404
    attempt.refresh_from_db()
    assert attempt.started_at is None


def test_the_chamber_of_the_district_sees_its_session(login, chamber_user, attempts):
    response = login(chamber_user).get(reverse("aptitude:session", args=[attempts[0].session.code]))

    assert response.status_code == 200
    assert response.text.count('data-testid="attempt-row"') == 2


def test_the_chamber_of_another_district_gets_404_on_the_session_page(login, other_district, attempts):
    stranger = make_staff(Role.CHAMBER, district=other_district)
    client = login(stranger)
    session = attempts[0].session

    assert client.get(reverse("aptitude:session", args=[session.code])).status_code == 404
    assert client.post(reverse("aptitude:session", args=[session.code]), {}).status_code == 404
    listing = client.get(reverse("aptitude:sessions"))
    assert listing.status_code == 200
    assert 'data-testid="session-row"' not in listing.text


@pytest.mark.parametrize("role", [Role.TRAINER, Role.EMPLOYMENT_CENTRE])
def test_trainers_and_the_employment_centre_are_refused_the_sessions_page(login, district, attempts, role):
    client = login(make_staff(role, district=district))

    assert client.get(reverse("aptitude:sessions")).status_code == 403
    assert client.get(reverse("aptitude:session", args=[attempts[0].session.code])).status_code == 403


def test_a_citizen_is_refused_the_sessions_page(login, citizen):
    assert login(citizen).get(reverse("aptitude:sessions")).status_code == 403
