import pytest
import time_machine

from accounts.models import Role
from tests.factories import StreamFactory, make_api_token, make_staff
from tests.training.helpers import NOW


@pytest.fixture(autouse=True)
def _clock():
    """1 December 2026: StreamFactory's stream takes applications (its course starts on 7 December)."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def stream(db):
    return StreamFactory()


@pytest.fixture
def api(client):
    """Call the API as a token's user: api(key).get(url) / .post(url, data) with JSON bodies."""

    class Caller:
        def __init__(self, key, language="en"):
            self.headers = {"Accept-Language": language}
            if key:
                self.headers["Authorization"] = f"Bearer {key}"

        def get(self, url, params=None, **headers):
            return client.get(url, params or {}, headers={**self.headers, **headers})

        def post(self, url, data=None, **headers):
            return client.post(url, data or {}, content_type="application/json", headers={**self.headers, **headers})

    return Caller


@pytest.fixture
def centre_key(centre_user):
    return make_api_token(centre_user)


@pytest.fixture
def outsider_key(outsider):
    return make_api_token(outsider)


@pytest.fixture
def chamber_user(district):
    return make_staff(Role.CHAMBER, district=district)


@pytest.fixture
def chamber_key(chamber_user):
    return make_api_token(chamber_user)


def error_of(response) -> dict:
    """The error body, checked to have the one documented shape."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]
