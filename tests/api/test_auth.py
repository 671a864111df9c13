"""Who may call the API: a valid token of a staff account, nothing else."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Role
from api.models import ApiToken, digest
from tests.api.conftest import error_of
from tests.factories import make_api_token, make_staff

pytestmark = pytest.mark.django_db

URL = "/api/applications/"


def test_without_a_token_the_answer_is_401_with_the_bearer_challenge(api):
    response = api(None).get(URL)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert error_of(response)["code"] == "not_authenticated"


@pytest.mark.parametrize(
    "key",
    ["nonsense", "bst_", "bst_0123456789abcdefghijklmnopqrstuvwxyz", "Bearer"],
)
def test_a_key_that_is_no_token_is_401(api, key, centre_key):
    response = api(key).get(URL)
    assert response.status_code == 401
    assert error_of(response)["code"] == "authentication_failed"


def test_the_right_lookup_with_a_wrong_secret_is_401(api, centre_key):
    forged = centre_key[:-4] + ("aaaa" if not centre_key.endswith("aaaa") else "bbbb")
    assert api(forged).get(URL).status_code == 401
    assert api(centre_key).get(URL).status_code == 200


def test_a_revoked_or_expired_token_is_401(api, centre_user):
    revoked = make_api_token(centre_user, name="old")
    ApiToken.objects.filter(name="old").update(revoked_at=timezone.now())
    expired = make_api_token(centre_user, name="expired", expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert api(revoked).get(URL).status_code == 401
    assert api(expired).get(URL).status_code == 401


def test_the_token_of_a_deactivated_account_is_401(api, centre_user, centre_key):
    centre_user.is_active = False
    centre_user.save()
    assert api(centre_key).get(URL).status_code == 401


def test_a_citizens_token_is_refused_with_the_rule(api, citizen):
    # The admin refuses to make one; a staff account later turned into a citizen's keeps its row.
    with pytest.raises(ValidationError) as exc:
        ApiToken.issue(user=citizen, name="mine")
    assert "user" in exc.value.error_dict
    staff = make_staff(Role.EMPLOYMENT_CENTRE)
    key = make_api_token(staff)
    staff.role = Role.CITIZEN
    staff.save()
    response = api(key).get(URL)
    assert response.status_code == 403
    assert error_of(response)["code"] == "api.use"


def test_only_a_digest_of_the_key_is_stored(centre_user):
    key = make_api_token(centre_user)
    token = ApiToken.objects.get()
    assert key.startswith("bst_" + token.lookup)
    assert token.key_digest == digest(key) and key not in (token.key_digest, token.lookup)


def test_last_use_is_recorded_at_most_every_five_minutes(api, centre_key):
    assert api(centre_key).get(URL).status_code == 200
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    api(centre_key).get(URL)
    assert ApiToken.objects.get().last_used_at == first


def test_the_admin_makes_a_token_and_shows_its_key_once(client):
    from tests.factories import UserFactory

    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    staff = make_staff(Role.CHAMBER)
    client.force_login(admin, backend="accounts.backends.PhoneOrEmailBackend")
    response = client.post(
        "/admin/api/apitoken/add/",
        {"user": staff.pk, "name": "Chamber CRM", "expires_at_0": "", "expires_at_1": ""},
        follow=True,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.created_by) == (staff, "Chamber CRM", admin)
    shown = [str(m) for m in response.context["messages"]]
    assert any(f"bst_{token.lookup}" in m for m in shown), shown
    key = next(m for m in shown if "bst_" in m).rsplit(" ", 1)[-1]
    assert token.matches(key)
    assert f"bst_{token.lookup}" not in client.get(f"/admin/api/apitoken/{token.pk}/change/").text.replace(
        str(token), ""
    )


def test_answers_are_never_cached(api, centre_key):
    assert api(centre_key).get(URL).headers["Cache-Control"] == "private, no-store"


def test_tokens_are_revoked_in_the_admin_never_deleted_and_every_step_is_recorded(client, api):
    from core.models import AuditEntry
    from tests.factories import UserFactory

    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    staff = make_staff(Role.CHAMBER)
    key = make_api_token(staff)
    token = ApiToken.objects.get()
    client.force_login(admin, backend="accounts.backends.PhoneOrEmailBackend")
    response = client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}, follow=True)
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api(key).get(URL).status_code == 401
    assert AuditEntry.objects.filter(model="api.apitoken", object_id=str(token.pk), actor=admin).exists()
    assert client.get(f"/admin/api/apitoken/{token.pk}/delete/").status_code == 403
