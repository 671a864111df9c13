import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import OrganisationFactory, StreamFactory, UserFactory

pytestmark = pytest.mark.django_db

MODELS = [
    "accounts_user",
    "accounts_organisation",
    "geography_region",
    "geography_district",
    "programme_programmeyear",
    "programme_stream",
    "programme_mcirate",
    "programme_holiday",
]


@pytest.fixture
def admin_client(login):
    return login(UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True))


@pytest.mark.parametrize("model", MODELS)
def test_the_administrator_can_list_search_and_add(admin_client, model):
    OrganisationFactory(name_kk="Ерекше ұйым")
    StreamFactory()
    assert admin_client.get(reverse(f"admin:{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:{model}_changelist"), {"q": "Ерекше"}).status_code == 200
    assert admin_client.get(reverse(f"admin:{model}_add")).status_code == 200


def test_organisations_are_found_by_their_kazakh_name(admin_client):
    OrganisationFactory(name_kk="Ерекше ұйым")
    response = admin_client.get(reverse("admin:accounts_organisation_changelist"), {"q": "Ерекше"})
    assert "Ерекше ұйым" in response.text


def test_a_new_stream_form_starts_with_the_years_course_settings(admin_client):
    from tests.factories import ProgrammeYearFactory

    year = ProgrammeYearFactory(year=2027, teaching_days=20, calendar_days=28)
    response = admin_client.get(reverse("admin:programme_stream_add"), {"year": year.pk})
    form = response.context["adminform"].form
    assert form.initial["teaching_days"] == 20 and form.initial["calendar_days"] == 28


def test_staff_without_admin_rights_cannot_open_the_admin(login, centre_user):
    response = login(centre_user).get(reverse("admin:index"))
    assert response.status_code == 302
