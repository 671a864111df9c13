"""Who, by role, may open an application: not only the area, the role decides too."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from applications.services import document_attach
from tests.factories import UserFactory, make_application, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(district):
    return make_application(district=district)


@pytest.mark.parametrize("role", [Role.TRAINER, Role.COMMISSION, Role.FINANCE])
def test_roles_without_a_case_cannot_open_an_application_of_their_area(login, district, application, role):
    staff = make_staff(role, district=district)
    assert login(staff).get(reverse("applications:status", args=[application.code])).status_code == 404


def test_a_regional_financial_officer_cannot_open_applications_of_the_region(login, district, application):
    officer = make_staff(Role.FINANCE, region=district.region)
    assert login(officer).get(reverse("applications:status", args=[application.code])).status_code == 404


def test_a_trainer_cannot_download_documents(login, district, application):
    centre = make_staff(Role.EMPLOYMENT_CENTRE, district=district)
    document = document_attach(
        application=application,
        actor=centre,
        kind="id_card",
        upload=SimpleUploadedFile("id.pdf", b"%PDF-1.4 x", "application/pdf"),
    )
    trainer = make_staff(Role.TRAINER, district=district)
    assert login(trainer).get(reverse("applications:document", args=[document.code])).status_code == 403


def test_the_analysts_colleagues_page_lists_staff_never_citizens(login, district):
    analyst = make_staff(Role.ANALYST, national=True)
    citizen = UserFactory(role=Role.CITIZEN, last_name="Азаматов")
    colleague = make_staff(Role.CHAMBER, district=district)
    page = login(analyst).get(reverse("accounts:colleagues"))
    assert colleague.last_name in page.text and citizen.last_name not in page.text


def test_a_bulk_decision_never_redirects_to_another_site(login, district, application):
    centre = make_staff(Role.EMPLOYMENT_CENTRE, district=district)
    response = login(centre).post(
        reverse("applications:queue_decide"),
        {"bulk-applications": [application.pk], "bulk-decision": "eligible", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("applications:queue")


def test_analysts_see_the_queue_without_the_registration_buttons(login, district, application):
    analyst = make_staff(Role.ANALYST, national=True)
    page = login(analyst).get(reverse("applications:queue"))
    assert application.number in page.text
    assert reverse("applications:intake") not in page.text.split("<main", 1)[1]
