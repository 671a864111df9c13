"""Identity scans: who may download them, every download recorded, and stored by their real type."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import policy
from accounts.models import Role
from applications.models import DocumentDownload
from applications.services import document_attach
from tests.factories import DistrictFactory, StreamFactory, make_application, make_staff

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 15, 12, tzinfo=datetime.UTC)
PDF = b"%PDF-1.4 scanned identity card"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def document(district):
    StreamFactory()
    application = make_application(district=district)
    centre = make_staff(Role.EMPLOYMENT_CENTRE, district=district)
    return document_attach(
        application=application, actor=centre, kind="id_card", upload=SimpleUploadedFile("id.pdf", PDF)
    )


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("centre of the district", True),
        ("chamber of the district", True),
        ("the applicant", True),
        ("akimat of the district", False),
        ("national analyst", False),
        ("national admin", False),
        ("regional chamber", False),
        ("centre of another district", False),
        ("another citizen", False),
        ("trainer of the district", False),
    ],
)
def test_the_download_policy(login, document, district, who, allowed):
    application = document.application
    users = {
        "centre of the district": lambda: make_staff(Role.EMPLOYMENT_CENTRE, district=district),
        "chamber of the district": lambda: make_staff(Role.CHAMBER, district=district),
        "the applicant": lambda: application.applicant,
        "akimat of the district": lambda: make_staff(Role.AKIMAT, district=district),
        "national analyst": lambda: make_staff(Role.ANALYST, national=True),
        "national admin": lambda: make_staff(Role.ADMIN, national=True, is_superuser=True, is_staff=True),
        "regional chamber": lambda: make_staff(Role.CHAMBER, region=district.region),
        "centre of another district": lambda: make_staff(Role.EMPLOYMENT_CENTRE, district=DistrictFactory()),
        "another citizen": lambda: make_application(district=district).applicant,
        "trainer of the district": lambda: make_staff(Role.TRAINER, district=district),
    }
    user = users[who]()
    assert policy.can(user, "applications.download_documents", application) is allowed
    response = login(user).get(reverse("applications:document", args=[document.code]))
    hidden = who in ("centre of another district", "another citizen")  # cannot even see the application
    assert response.status_code == (200 if allowed else 404 if hidden else 403)
    assert DocumentDownload.objects.filter(user=user, document=document).exists() is allowed


def test_every_download_is_recorded_with_who_when_and_which(login, document, district):
    centre = make_staff(Role.EMPLOYMENT_CENTRE, district=district)
    client = login(centre)
    url = reverse("applications:document", args=[document.code])
    client.get(url)
    client.get(url)
    rows = list(DocumentDownload.objects.order_by("pk").values_list("user", "document", "at"))
    assert rows == [(centre.pk, document.pk, NOW), (centre.pk, document.pk, NOW)]


def test_the_status_page_links_documents_only_for_those_who_may_download(login, document, district):
    url = reverse("applications:status", args=[document.application.code])
    link = reverse("applications:document", args=[document.code])
    assert link in login(make_staff(Role.EMPLOYMENT_CENTRE, district=district)).get(url).text
    assert link not in login(make_staff(Role.AKIMAT, district=district)).get(url).text


def test_downloads_are_listed_read_only_in_the_admin(admin_client, login, document, district):
    login(make_staff(Role.CHAMBER, district=district)).get(reverse("applications:document", args=[document.code]))
    from django.contrib import admin

    model_admin = admin.site._registry[DocumentDownload]
    assert not model_admin.has_add_permission(None)
    assert not model_admin.has_change_permission(None)
    assert not model_admin.has_delete_permission(None)


# --- Stored by the detected type ---------------------------------------------------------------


def test_a_png_named_pdf_is_stored_and_served_as_png(login, district):
    StreamFactory()
    application = make_application(district=district)
    centre = make_staff(Role.EMPLOYMENT_CENTRE, district=district)
    document = document_attach(
        application=application, actor=centre, kind="id_card", upload=SimpleUploadedFile("scan.pdf.exe", PNG)
    )
    assert document.file.name.endswith(".png") and document.content_type == "image/png"
    response = login(centre).get(reverse("applications:document", args=[document.code]))
    assert response["Content-Type"] == "image/png"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and ".png" in disposition and ".exe" not in disposition
