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


def test_qr_codes_made_with_the_fixed_mask_decode_for_many_links(settings):
    """One mask for every code (rendering.QR_MASK) instead of the best of eight: each still reads back."""
    import io
    import uuid

    import zxingcpp
    from PIL import Image

    from certificates import rendering

    for _ in range(40):
        url = f"https://bastau.example.kz/c/{uuid.uuid4()}/"
        code = rendering.qr_code(url)
        assert code.mask == rendering.QR_MASK
        png = io.BytesIO()
        code.save(png, kind="png", scale=4, border=2)
        image = Image.open(io.BytesIO(png.getvalue()))
        assert [result.text for result in zxingcpp.read_barcodes(image)] == [url]


def test_a_certificate_from_the_paper_register_fails_at_once_with_the_reason(queued):
    """No district or course dates (not issued through the portal): nothing to print, and no retries."""
    Certificate.objects.filter(pk=queued.pk).update(district=None, course_start=None, course_end=None)
    assert render_certificate_task.apply(args=[queued.pk]).get() == "failed"
    queued.refresh_from_db()
    assert (queued.render_state, queued.render_attempts) == (Certificate.Render.FAILED, 1)
    from django.utils.translation import gettext

    assert queued.render_error == gettext(
        "Not issued through the portal (no district or course dates): no PDF to make."
    )


@pytest.mark.django_db(transaction=True)
def test_only_the_renders_last_transaction_commits_without_waiting_for_the_disk(district, stream, chamber_user):
    """`SET LOCAL synchronous_commit = off` in the transaction that marks the PDF ready, never in the claim
    (the attempt counts durably), and never left on the connection for the next task (a payment's commit)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    (application,), _group = make_defended(district, stream, 1, defended=False)
    certificate, _ = services.certificate_issue(actor=chamber_user, application_id=application.pk)
    # Rendered already (the issue's commit queued it, run eagerly): queued again, to watch one render.
    Certificate.objects.filter(pk=certificate.pk).update(render_state=Certificate.Render.QUEUED, render_attempts=0)
    with CaptureQueriesContext(connection) as queries:
        assert render_certificate_task.apply(args=[certificate.pk]).get() == "ready"
    statements = [query["sql"] for query in queries.captured_queries]
    transactions = [part for part in " ".join(statements).split("COMMIT") if "BEGIN" in part]
    assert ["synchronous_commit = off" in part for part in transactions] == [False, True]
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone() == ("on",)
