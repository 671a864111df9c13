"""Rate limits per token (429 in the error shape) and the public certificate verification."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from certificates.models import Certificate
from tests.api.conftest import error_of
from tests.factories import make_api_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_limits(settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "api-token": "3/m", "api-public": "2/m"}


def test_a_token_over_its_rate_gets_429_with_retry_after(api, centre_user, centre_key, low_limits):
    codes = [api(centre_key).get("/api/applications/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = api(centre_key).get("/api/applications/")
    assert error_of(response)["code"] == "throttled"
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    # Another token of the same user counts apart: the limit is per token.
    assert api(make_api_token(centre_user, name="second")).get("/api/applications/").status_code == 200


def test_the_default_rates_are_per_token_and_per_address():
    assert settings.RATELIMITS["api-token"] == "600/m"
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] == ["api.throttling.PerToken"]


def certificate(**kwargs) -> Certificate:
    values = {
        "number": "BST-2026-000123",
        "iin": "900517300019",
        "holder_name": "Серікбаев Нұрлан Асқарұлы",
        "kind": Certificate.Kind.COMPLETION,
        "issued_on": datetime.date(2026, 11, 20),
    }
    return Certificate.objects.create(**{**values, **kwargs})


def test_a_certificate_is_verified_by_number_without_login(api):
    certificate()
    response = api(None).get("/api/certificates/BST-2026-000123/")
    assert response.status_code == 200
    assert response.json() == {
        "number": "BST-2026-000123",
        "valid": True,
        "kind": "completion",
        "kind_label": "Certificate of completion",
        "holder": "Серікбаев Н. А.",  # not the full name, nor the IIN
        "issued_on": "2026-11-20",
        "revoked_on": None,
    }


def test_a_revoked_certificate_is_not_valid_and_an_unknown_number_is_404(api):
    certificate(revoked_at=timezone.now())
    assert api(None).get("/api/certificates/BST-2026-000123/").json()["valid"] is False
    response = api(None).get("/api/certificates/BST-0000/")
    assert response.status_code == 404
    error_of(response)


def test_verification_is_limited_per_address(api, low_limits):
    codes = [api(None).get("/api/certificates/BST-1/").status_code for _ in range(3)]
    assert codes == [404, 404, 429]


def test_the_revocation_day_is_the_day_in_almaty_as_the_page_prints_it(api, client):
    # 20:30 UTC on the 3rd is 01:30 on the 4th in Almaty (UTC+5): the page and the API say the 4th.
    certificate(revoked_at=datetime.datetime(2026, 12, 3, 20, 30, tzinfo=datetime.UTC))
    assert api(None).get("/api/certificates/BST-2026-000123/").json()["revoked_on"] == "2026-12-04"
    page = client.get("/verify/", {"number": "BST-2026-000123"}, headers={"accept-language": "en"})
    assert page.status_code == 200
    assert "04.12.2026" in page.text and "03.12.2026" not in page.text
