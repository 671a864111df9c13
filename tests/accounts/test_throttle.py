"""Login, the application form and password reset are throttled per client IP; the lockout
cannot be used to lock somebody out of their own address (issue 9)."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from tests.factories import PASSWORD, UserFactory, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _axes_on(settings):
    settings.AXES_ENABLED = True


def _login(ip, username, password="wrong-password", **headers):  # noqa: S107
    return Client(REMOTE_ADDR=ip, **headers).post(
        reverse("accounts:login"), {"username": username, "password": password}
    )


def test_password_spraying_from_one_ip_is_stopped(settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "login-failures": "5/15m"}
    victims = [UserFactory(role=Role.CITIZEN) for _ in range(8)]
    answers = [_login("203.0.113.7", victim.username).status_code for victim in victims]
    assert answers[:5] == [200] * 5  # one wrong try on each account: the form again
    assert answers[5:] == [429] * 3  # then the address is stopped, whichever account it tries
    # Even the right password from that address waits; another address is not affected.
    assert _login("203.0.113.7", victims[0].username, PASSWORD).status_code == 429
    assert _login("198.51.100.2", victims[0].username, PASSWORD).status_code == 302


def test_an_office_logging_in_from_one_ip_is_not_stopped_by_successes(settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "login-failures": "5/15m"}
    staff = [make_staff(Role.EMPLOYMENT_CENTRE) for _ in range(10)]
    assert [_login("192.0.2.10", user.username, PASSWORD).status_code for user in staff] == [302] * 10


def test_wrong_passwords_from_elsewhere_do_not_lock_the_owner_out_of_their_own_address():
    owner = UserFactory(role=Role.CITIZEN, phone="+77015550111")
    for _ in range(10):
        _login("203.0.113.9", "+77015550111")
    assert _login("203.0.113.9", "+77015550111", PASSWORD).status_code == 429  # the attacker's address: locked
    assert _login("192.0.2.44", "8 701 555 01 11", PASSWORD).status_code == 302  # the owner's: not
    assert owner.pk


def test_the_forwarded_header_is_ignored_unless_behind_our_proxy(settings):
    from core.clientip import client_ip

    request = Client().request
    from django.test import RequestFactory

    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    settings.BEHIND_TLS_PROXY = False
    assert client_ip(request) == "10.0.0.1"
    settings.BEHIND_TLS_PROXY = True
    assert client_ip(request) == "203.0.113.5"  # the entry our proxy appended, not the client's own


def test_a_spoofed_forwarded_header_does_not_escape_the_limit(settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "login-failures": "3/15m"}
    answers = [_login("203.0.113.8", f"nobody{n}", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}").status_code for n in range(5)]
    assert answers == [200, 200, 200, 429, 429]


def test_the_application_form_is_rate_limited_per_ip(settings, district):
    settings.RATELIMITS = {**settings.RATELIMITS, "apply": "3/h"}
    client = Client(REMOTE_ADDR="203.0.113.20")
    answers = [client.post(reverse("applications:apply"), {"iin": "1"}).status_code for _ in range(5)]
    assert answers == [200, 200, 200, 429, 429]
    assert Client(REMOTE_ADDR="203.0.113.21").get(reverse("applications:apply")).status_code == 200


def test_each_new_lock_of_a_username_at_an_ip_doubles_the_cool_off(settings):
    import datetime

    import time_machine

    # The clock is moved, so the cache must follow it: Redis keeps its own time for expiries.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    user = UserFactory(role=Role.CITIZEN, phone="+77015550222")
    start = datetime.datetime(2026, 11, 16, 9, tzinfo=datetime.UTC)

    def at(minutes, password="wrong-password"):  # noqa: S107
        with time_machine.travel(start + datetime.timedelta(minutes=minutes), tick=False):
            return _login("203.0.113.50", "+77015550222", password).status_code

    assert [at(0) for _ in range(5)] == [200, 200, 200, 200, 429]  # the fifth failure locks
    assert at(16, PASSWORD) == 302  # first lock: 15 minutes
    assert [at(20) for _ in range(5)][-1] == 429  # locked again the same day
    assert at(36, PASSWORD) == 429  # second lock: 30 minutes, not 15 (and a try while locked starts it again)
    assert at(67, PASSWORD) == 302
    assert user.pk
