"""Password reset and change for every account, with neutral answers; idle sessions end (issue 9)."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from core.sms import MemorySmsBackend
from tests.factories import PASSWORD, UserFactory, make_staff

pytestmark = pytest.mark.django_db
NEW = "Qazaqstan-2027!"


@pytest.fixture(autouse=True)
def _sms(settings):
    settings.SMS_BACKEND = "core.sms.MemorySmsBackend"
    MemorySmsBackend.outbox.clear()


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    def _ask(identifier):
        mail.outbox = []
        MemorySmsBackend.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("accounts:password_reset"), {"identifier": identifier}, follow=True)

    return _ask


def _can_log_in(username, password):
    return Client().post(reverse("accounts:login"), {"username": username, "password": password}).status_code == 302


def test_a_citizen_resets_by_phone_with_a_one_time_code(ask, client):
    citizen = UserFactory(role=Role.CITIZEN, phone="+77015550123", email="")
    response = ask("8 701 555 01 23")
    assert "If an account matches" in response.text
    ((phone, text),) = MemorySmsBackend.outbox
    assert phone == "+77015550123"
    code = re.search(r"\b(\d{6})\b", text).group(1)
    url = reverse("accounts:password_reset_code")
    data = {"phone": "+77015550123", "code": code, "new_password1": NEW, "new_password2": NEW}
    assert client.post(url, data).status_code == 302
    assert _can_log_in("+77015550123", NEW) and not _can_log_in("+77015550123", PASSWORD)
    assert "wrong or has expired" in client.post(url, data).text  # one time only
    assert citizen.pk


def test_a_wrong_code_is_refused_and_five_wrong_codes_end_it(ask, client):
    UserFactory(role=Role.CITIZEN, phone="+77015550124")
    ask("+77015550124")
    code = re.search(r"\b(\d{6})\b", MemorySmsBackend.outbox[0][1]).group(1)
    wrong = "000000" if code != "000000" else "111111"
    url = reverse("accounts:password_reset_code")
    for _ in range(5):
        data = {"phone": "+77015550124", "code": wrong, "new_password1": NEW, "new_password2": NEW}
        assert "wrong or has expired" in client.post(url, data).text
    data = {"phone": "+77015550124", "code": code, "new_password1": NEW, "new_password2": NEW}
    assert "wrong or has expired" in client.post(url, data).text  # the right code no longer works


def test_staff_reset_by_e_mail_with_django_s_link(ask, client):
    staff = make_staff(Role.EMPLOYMENT_CENTRE, email="centre@example.kz")
    response = ask("centre@example.kz")
    assert "If an account matches" in response.text
    (message,) = mail.outbox
    assert message.to == ["centre@example.kz"]
    link = re.search(r"http://\S+/accounts/password/reset/\S+/\S+/", message.body).group(0)
    path = link.split("8000", 1)[1]
    page = client.get(path, follow=True)
    set_url = page.redirect_chain[-1][0]
    assert client.post(set_url, {"new_password1": NEW, "new_password2": NEW}).status_code == 302
    assert _can_log_in(staff.username, NEW)


def test_the_answer_is_the_same_for_an_unknown_account(ask):
    UserFactory(role=Role.CITIZEN, phone="+77015550125")
    known = ask("+77015550125")
    unknown = ask("+77015559876")
    assert MemorySmsBackend.outbox == []  # nothing sent for the unknown one
    assert known.redirect_chain == unknown.redirect_chain
    assert "If an account matches" in unknown.text


def test_reset_requests_are_throttled_per_account(ask, settings):
    UserFactory(role=Role.CITIZEN, phone="+77015550126")
    sent = []
    for _ in range(5):
        ask("+77015550126")
        sent.append(len(MemorySmsBackend.outbox))
    assert sent == [1, 1, 1, 0, 0]  # 3 an hour, then the same answer and nothing sent


def test_reset_requests_are_throttled_per_ip(settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "password-reset": "2/h"}
    client = Client(REMOTE_ADDR="203.0.113.30")
    url = reverse("accounts:password_reset")
    answers = [client.post(url, {"identifier": f"x{n}@example.kz"}).status_code for n in range(4)]
    assert answers == [302, 302, 429, 429]


def test_a_logged_in_user_changes_their_password(login):
    citizen = UserFactory(role=Role.CITIZEN, phone="+77015550127")
    client = login(citizen)
    data = {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    assert client.post(reverse("accounts:password_change"), data).status_code == 302
    assert _can_log_in("+77015550127", NEW)


@pytest.mark.parametrize(
    ("role", "still_in", "logged_out"),
    [(Role.CITIZEN, 115, 125), (Role.EMPLOYMENT_CENTRE, 8 * 60 + 50, 9 * 60 + 10)],
)
def test_idle_sessions_end_staff_after_a_working_day_citizens_after_two_hours(role, still_in, logged_out):
    user = make_staff(role) if role != Role.CITIZEN else UserFactory(role=Role.CITIZEN)
    start = datetime.datetime(2026, 11, 16, 9, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        client = Client()
        assert (
            client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD}).status_code == 302
        )
    with time_machine.travel(start + datetime.timedelta(minutes=still_in), tick=False):
        assert client.get(reverse("portal:home")).context["user"].is_authenticated  # and this starts the time again
    later = start + datetime.timedelta(minutes=still_in + logged_out)
    with time_machine.travel(later, tick=False):
        assert not client.get(reverse("portal:home")).context["user"].is_authenticated
