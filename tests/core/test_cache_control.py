"""Responses that carry personal data are never cached by browsers or proxies (issue 9)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from accounts.models import Role
from tests.factories import StreamFactory, make_application, make_staff

pytestmark = pytest.mark.django_db
NO_STORE = "private, no-store"


def test_every_page_for_a_logged_in_user_is_private_no_store(login, district):
    StreamFactory()
    application = make_application(district=district)
    centre = make_staff(Role.EMPLOYMENT_CENTRE, district=district)
    client = login(centre)
    for url in (
        reverse("portal:home"),
        reverse("applications:queue"),
        reverse("applications:status", args=[application.code]),
    ):
        assert client.get(url)["Cache-Control"] == NO_STORE, url


def test_documents_pdfs_and_spreadsheets_are_private_no_store(login, district):
    from applications.services import document_attach

    StreamFactory()
    application = make_application(district=district)
    centre = make_staff(Role.EMPLOYMENT_CENTRE, district=district)
    document = document_attach(
        application=application, actor=centre, kind="id_card", upload=SimpleUploadedFile("id.pdf", b"%PDF-1.4 x")
    )
    response = login(centre).get(reverse("applications:document", args=[document.code]))
    assert response["Cache-Control"] == NO_STORE


def test_a_form_posted_by_a_visitor_is_private_no_store(client, district):
    response = client.post(reverse("applications:apply"), {"iin": "061211600012"})
    assert response["Cache-Control"] == NO_STORE


@override_settings(DEBUG=False)
def test_a_file_attachment_to_anybody_is_private_no_store(rf):
    from django.http import HttpResponse

    from core.middleware import PrivateNoStoreMiddleware

    def view(request):
        response = HttpResponse(b"x")
        response["Content-Disposition"] = 'attachment; filename="x.xlsx"'
        return response

    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/x/")
    request.user = AnonymousUser()
    assert PrivateNoStoreMiddleware(view)(request)["Cache-Control"] == NO_STORE
