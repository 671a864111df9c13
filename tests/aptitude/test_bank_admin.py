import pytest
from django.urls import reverse

from accounts.models import Role
from aptitude.models import Question
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _post(client, kind, correct):
    data = {
        "kind": kind,
        "text_kk": "Сұрақ",
        "text_ru": "Вопрос",
        "text_en": "Question",
        "is_active": "on",
        "choices-TOTAL_FORMS": "3",
        "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "2",
        "choices-MAX_NUM_FORMS": "1000",
    }
    for i in range(3):
        data.update(
            {
                f"choices-{i}-text_kk": f"Жауап {i}",
                f"choices-{i}-text_ru": f"Ответ {i}",
                f"choices-{i}-position": str(i),
            }
        )
        if i in correct:
            data[f"choices-{i}-is_correct"] = "on"
    return client.post(reverse("admin:aptitude_question_add"), data)


@pytest.fixture
def editor(login):
    return login(UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True))


@pytest.mark.parametrize(
    ("kind", "correct", "saved"),
    [
        ("single", {0}, True),
        ("single", {0, 1}, False),
        ("single", set(), False),
        ("multiple", {0, 2}, True),
        ("multiple", set(), False),
    ],
)
def test_the_bank_accepts_only_questions_that_can_be_answered_right(editor, kind, correct, saved):
    response = _post(editor, kind, correct)
    assert Question.objects.exists() is saved
    if not saved:
        assert response.status_code == 200 and "correct answer" in response.text
