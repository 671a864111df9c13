"""The staff's certificate register through the API: scoped like the Chamber's certificates pages, the
holder masked, a revoked one said so; the public verification stays as it was."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from certificates import services as certificate_services
from certificates.models import Certificate
from tests.api.conftest import error_of
from tests.factories import make_api_token, make_certified, make_staff
from tests.financing.conftest import NOW

pytestmark = pytest.mark.django_db

# 1 the token with its user and organisation, 2 the count, 3 the certificates with application, group
# and the one each replaces (one join).
CERTIFICATES = 3


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def certified(district, stream):
    apps, _group = make_certified(district, stream, 2)
    return list(Certificate.objects.filter(application__in=apps).order_by("sequence"))


def test_the_chamber_lists_and_reads_its_districts_certificates(api, chamber_key, certified):
    body = api(chamber_key).get("/api/staff/certificates/").json()
    assert [r["number"] for r in body["results"]] == [c.number for c in certified]
    first = certified[0]
    response = api(chamber_key).get(f"/api/staff/certificates/{first.number}/")
    assert response.status_code == 200
    row = response.json()
    surname, *names = first.holder_name.split()
    assert row["holder"] == " ".join([surname, *(f"{n[0]}." for n in names)])
    assert row["masked_iin"] == first.masked_iin and first.iin not in str(row)
    assert row["kind"] == "completion"
    assert row["application"] == str(first.application.code)
    assert row["revoked"] is False and row["revoked_at"] is None


def test_a_revoked_certificate_is_said_so_and_filtered(api, chamber_user, chamber_key, certified):
    certificate_services.certificate_revoke(actor=chamber_user, certificate_id=certified[0].pk, reason="Қате аты-жөні.")
    row = api(chamber_key).get(f"/api/staff/certificates/{certified[0].number}/").json()
    assert row["revoked"] is True and row["revoke_reason"] == "Қате аты-жөні."
    revoked = api(chamber_key).get("/api/staff/certificates/", {"revoked": "true"}).json()
    assert [r["number"] for r in revoked["results"]] == [certified[0].number]
    valid = api(chamber_key).get("/api/staff/certificates/", {"revoked": "false"}).json()
    assert [r["number"] for r in valid["results"]] == [certified[1].number]


def test_another_district_sees_none_and_a_number_of_it_is_a_404(api, other_district, certified):
    key = make_api_token(make_staff(Role.CHAMBER, district=other_district))
    assert api(key).get("/api/staff/certificates/").json()["count"] == 0
    response = api(key).get(f"/api/staff/certificates/{certified[0].number}/")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    assert api(key).get("/api/staff/certificates/NO-SUCH/").status_code == 404


def test_other_roles_are_refused_with_the_rule(api, district, certified):
    key = make_api_token(make_staff(Role.TRAINER, district=district))
    response = api(key).get("/api/staff/certificates/")
    assert response.status_code == 403
    assert error_of(response)["code"] == "certificates.view"


def test_the_public_verification_is_unchanged(api, certified):
    body = api(None).get(f"/api/certificates/{certified[0].number}/").json()
    assert body["valid"] is True and set(body) == {
        "number", "valid", "kind", "kind_label", "holder", "issued_on", "revoked_on"
    }  # fmt: skip


def count(api, key) -> tuple[int, int]:
    api(key).get("/api/staff/certificates/")
    with CaptureQueriesContext(connection) as ctx:
        response = api(key).get("/api/staff/certificates/", {"page_size": 200})
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()["count"]


def test_the_list_costs_the_same_for_few_and_many(api, chamber_key, district, stream, certified):
    few = count(api, chamber_key)
    make_certified(district, stream, 4, group_name="Group M")
    many = count(api, chamber_key)
    assert few == (CERTIFICATES, 2)
    assert many == (CERTIFICATES, 6)
