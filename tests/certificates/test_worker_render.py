"""A real Celery worker on Redis renders a group's certificates from the `pdf` queue: the PDF's text,
its QR code and its signature are read back from the file; a message delivered again changes nothing."""

import hashlib
import os
import time

import pytest
from django.core import mail
from django.urls import reverse

from applications.models import Application, Status
from certificates import services
from certificates.models import Certificate
from certificates.tasks import render_certificate_task
from tests.certificates.helpers import pdf_qr_codes, pdf_text
from tests.factories import make_defended
from tests.test_worker import redis_worker  # noqa: F401  the fixture: a worker thread on both queues

REDIS = os.environ.get("REDIS_URL")
pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not REDIS, reason="Redis is not reachable (REDIS_URL unset)"),
]


def _until(predicate, seconds=60, what="the worker"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} did not finish within {seconds} s")


def test_a_real_worker_renders_signed_certificates_that_read_back_and_verify(
    redis_worker,  # noqa: F811
    settings,
    client,
    district,
    stream,
    chamber_user,
):
    settings.PORTAL_URL = "https://bastau.example.kz"
    apps, group = make_defended(district, stream, 2, group_name="Group W")
    Application.objects.filter(pk=apps[0].pk).update(email="holder@example.kz")  # contact data, not the path
    not_defended, _ = make_defended(district, stream, 1, defended=False, group_name="Group N")
    assert {a.status for a in apps} == {Status.DEFENDED}
    job = services.certificates_issue_for_group(actor=chamber_user, group_id=group.pk)  # committed: queued
    other, _ = services.certificate_issue(actor=chamber_user, application_id=not_defended[0].pk)
    assert job.issued == 2
    ready = Certificate.objects.filter(render_state=Certificate.Render.READY)
    _until(lambda: ready.count() == 3, what="three certificates")

    certificate = Certificate.objects.get(application=apps[0])
    data = certificate.file.read()
    text = pdf_text(data)
    assert "Серікбаев Нұрлан Асқарұлы" in text  # the holder's name in Kazakh letters, read back from the file
    assert "Оқуды аяқтағаны туралы сертификат" in text and "Сертификат об окончании обучения" in text
    assert certificate.number in text and certificate.masked_iin in text
    url = f"https://bastau.example.kz/c/{certificate.code}/"
    assert pdf_qr_codes(data) == [url]
    assert "Оқуға қатысқаны туралы сертификат" in pdf_text(other.__class__.objects.get(pk=other.pk).file.read())

    # The signature validates with pyHanko against our signing certificate and covers the whole file.
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from certificates.signing import our_certificate

    (signature,) = PdfFileReader(BytesIO(data)).embedded_signatures
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[our_certificate()]))
    assert (status.intact, status.valid, status.trusted, status.coverage) == (
        True,
        True,
        True,
        SignatureCoverageLevel.ENTIRE_FILE,
    )
    assert client.get(url.removeprefix("https://bastau.example.kz")).status_code == 200

    # The holder got it by e-mail, with the PDF attached, once.
    _until(lambda: Certificate.objects.filter(pk=certificate.pk, emailed_at__isnull=False).exists(), what="the e-mail")
    sent = [m for m in mail.outbox if m.attachments and m.attachments[0][0] == f"{certificate.number}.pdf"]
    assert len(sent) == 1 and sent[0].to == ["holder@example.kz"] and sent[0].attachments[0][1] == data

    # Delivered again (a retry, the sweeper): skipped, the same file, one certificate, one number.
    assert render_certificate_task.apply_async((certificate.pk,), ignore_result=False).get(timeout=30) == "skipped"
    certificate.refresh_from_db()
    assert hashlib.sha256(certificate.file.read()).hexdigest() == hashlib.sha256(data).hexdigest()
    assert Certificate.objects.filter(application=apps[0]).count() == 1
    assert sorted(Certificate.objects.values_list("sequence", flat=True)) == [1, 2, 3]

    # One byte changed: the verification page says it is not a genuine certificate of ours.
    altered = bytearray(data)
    altered[len(altered) // 3] ^= 0x01
    from django.core.files.uploadedfile import SimpleUploadedFile

    for content, outcome in ((data, "genuine"), (bytes(altered), "altered")):
        page = client.post(
            reverse("certificates:verify"), {"file": SimpleUploadedFile("c.pdf", content, "application/pdf")}
        ).text
        assert f'data-outcome="{outcome}"' in page
