import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("identifier", ["+77015550101", "8 701 555 01 01", "CITIZEN@example.kz", "aidar"])
def test_a_user_logs_in_by_phone_e_mail_or_username(client, password, identifier):
    UserFactory(username="aidar", phone="+77015550101", email="citizen@example.kz")
    response = client.post(reverse("accounts:login"), {"username": identifier, "password": password})
    assert response.status_code == 302, response.text
    assert client.get(reverse("portal:home")).context["user"].username == "aidar"


def test_a_wrong_password_shows_an_error_and_keeps_the_identifier(client):
    UserFactory(username="aidar")
    response = client.post(reverse("accounts:login"), {"username": "aidar", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct" in response.text
    assert 'value="aidar"' in response.text


def test_repeated_failures_lock_the_username_for_a_while_not_forever(client, password):
    UserFactory(username="aidar")
    UserFactory(username="colleague")
    login = reverse("accounts:login")
    start = datetime.datetime(2026, 11, 16, 9, tzinfo=datetime.UTC)
    cool_off = datetime.timedelta(minutes=15)  # what the locked page and docs/decisions.md promise
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(4):
            assert client.post(login, {"username": "aidar", "password": "wrong"}).status_code == 200
        # The fifth failure locks the username; from then on even the right password is refused...
        assert client.post(login, {"username": "aidar", "password": "wrong"}).status_code == 429
        assert client.post(login, {"username": "aidar", "password": password}).status_code == 429
        # ...but only that username: a colleague in the same office (same IP) still logs in.
        assert client.post(login, {"username": "colleague", "password": password}).status_code == 302
        client.logout()

        clock.shift(cool_off - datetime.timedelta(minutes=1))  # just before the cool-off ends: still locked
        assert client.post(login, {"username": "aidar", "password": password}).status_code == 429

        clock.move_to(start + cool_off + datetime.timedelta(minutes=1))  # just after it: in
        response = client.post(login, {"username": "aidar", "password": password})
        assert response.status_code == 302, response.text
        assert client.get(reverse("portal:home")).context["user"].username == "aidar"


def test_e_mail_addresses_are_unique_whatever_their_case():
    from django.db import IntegrityError

    UserFactory(email="a@example.kz")
    with pytest.raises(IntegrityError):
        User.objects.create(username="other", email="A@Example.kz")


def test_spelling_the_login_differently_does_not_escape_the_lockout(client, settings, password):
    UserFactory(username="aidar", phone="+77015550101", email="citizen@example.kz")
    spellings = ["citizen@example.kz", "CITIZEN@example.kz", "+77015550101", "8 701 555 01 01", "87015550101"]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": spellings[attempt % len(spellings)], "password": "x"})
    locked = client.post(reverse("accounts:login"), {"username": "Citizen@Example.kz", "password": password})
    assert locked.status_code == 429
