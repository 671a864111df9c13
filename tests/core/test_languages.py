import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lang", "text"),
    [("kk", "Кіру"), ("ru", "Войти"), ("en", "Log in")],
)
def test_the_login_page_speaks_the_chosen_language(client, lang, text):
    client.post(reverse("portal:set_language"), {"language": lang, "next": "/"})
    response = client.get(reverse("accounts:login"))
    assert f'<html lang="{lang}">' in response.text
    assert text in response.text


def test_the_choice_is_remembered_in_a_cookie(client):
    response = client.post(reverse("portal:set_language"), {"language": "ru", "next": "/accounts/login/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"


def test_a_logged_in_users_choice_is_kept_on_their_account_and_follows_them(client, login, citizen):
    login(citizen).post(reverse("portal:set_language"), {"language": "kk", "next": "/"})
    citizen.refresh_from_db()
    assert citizen.language == "kk"
    client.cookies.clear()  # another browser: no cookie, the account decides
    client.force_login(citizen, backend="accounts.backends.PhoneOrEmailBackend")
    assert '<html lang="kk">' in client.get(reverse("portal:home")).text


def test_an_unknown_language_is_ignored(login, citizen):
    login(citizen).post(reverse("portal:set_language"), {"language": "xx", "next": "/"})
    citizen.refresh_from_db()
    assert citizen.language == ""


def test_the_switcher_is_on_every_page_and_an_unsafe_next_is_not_followed(client):
    assert 'name="language" value="kk"' in client.get(reverse("accounts:login")).text
    response = client.post(reverse("portal:set_language"), {"language": "ru", "next": "https://evil.example/"})
    assert "evil.example" not in response["Location"]


@pytest.mark.parametrize(
    ("lang", "text"), [("kk", "Бет табылмады"), ("ru", "Страница не найдена"), ("en", "Page not found")]
)
def test_the_404_page_is_translated(client, lang, text):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert text in response.text


def test_user_language_choices_match_the_portal_languages():
    assert [code for code, _ in User.Language.choices] == [code for code, _ in settings.LANGUAGES]
