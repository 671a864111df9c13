"""The certificate's PDF rendered in-process: fonts embedded, text and QR read back; the sweeper, a
signing key missing (failed, then queued again), and a render repeated."""

import datetime

import pytest
from django.utils import timezone

from certificates import services
from certificates.models import Certificate
from certificates.tasks import render_certificate_task
from core import jobs
from tests.certificates.helpers import pdf_qr_codes, pdf_text
from tests.factories import make_defended

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(district, stream, chamber_user):
    (application,), _group = make_defended(district, stream, 1, defended=False)
    certificate, _ = services.certificate_issue(actor=chamber_user, application_id=application.pk)  # not committed
    return certificate


def test_the_pdf_embeds_dejavu_and_reads_back_in_kazakh_and_russian_with_its_qr(queued, settings):
    from io import BytesIO

    from pypdf import PdfReader

    settings.PORTAL_URL = "https://bastau.example.kz/"
    assert render_certificate_task.apply(args=[queued.pk]).get() == "ready"
    queued.refresh_from_db()
    data = queued.file.read()
    fonts = set()
    for page in PdfReader(BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor  # embedded, not just named
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert fonts <= {"DejaVu-Sans", "DejaVu-Sans-Bold"} and "DejaVu-Sans" in fonts
    text = pdf_text(data)
    for expected in ("Оқуға қатысқаны туралы сертификат", "Сертификат об участии в обучении", queued.number, "Нұрлан"):
        assert expected in text
    assert pdf_qr_codes(data) == [f"https://bastau.example.kz/c/{queued.code}/"]
    first = queued.sha256
    # Run again (a late copy of the message): nothing changes.
    assert render_certificate_task.apply(args=[queued.pk]).get() == "skipped"
    queued.refresh_from_db()
    assert queued.sha256 == first and queued.render_attempts == 1


def test_the_sweeper_queues_again_what_waited_too_long_and_only_that(queued, settings):
    fresh = Certificate.objects.filter(pk=queued.pk)
    assert jobs.sweep(["certificates.pdf"]) == {"certificates.pdf": {"requeued": 0, "failed": 0}}
    fresh.update(
        render_started_at=timezone.now() - datetime.timedelta(seconds=settings.CERTIFICATE_RENDER_STUCK_SECONDS + 1)
    )
    assert jobs.sweep(["certificates.pdf"]) == {"certificates.pdf": {"requeued": 1, "failed": 0}}  # eager: at once
    assert fresh.get().render_state == Certificate.Render.READY


def test_without_a_signing_key_the_pdf_fails_with_the_reason_and_is_queued_again_later(
    queued, settings, tmp_path, chamber_user, django_capture_on_commit_callbacks
):
    key = settings.CERTIFICATE_SIGNING_KEY
    settings.CERTIFICATE_SIGNING_KEY = str(tmp_path / "missing.pem")
    assert render_certificate_task.apply(args=[queued.pk]).get() == "failed"
    queued.refresh_from_db()
    assert queued.render_state == Certificate.Render.FAILED and "CERTIFICATE_SIGNING_KEY" in queued.render_error
    settings.CERTIFICATE_SIGNING_KEY = key
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_render_again(actor=chamber_user, certificate_id=queued.pk)
    queued.refresh_from_db()
    assert (queued.render_state, queued.render_error) == (Certificate.Render.READY, "")
