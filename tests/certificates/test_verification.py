"""The public verification page: by QR code or number (valid or revoked, the least personal data), and
an uploaded PDF checked for our signature, no change since signing, and a number in our register."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certificates import services
from certificates.models import Certificate
from certificates.signing import make_self_signed_pair
from tests.factories import make_defended

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(district, stream, chamber_user, django_capture_on_commit_callbacks):
    (application,), _group = make_defended(district, stream, 1)
    with django_capture_on_commit_callbacks(execute=True):
        certificate, _ = services.certificate_issue(actor=chamber_user, application_id=application.pk)
    certificate.refresh_from_db()
    assert certificate.render_state == Certificate.Render.READY
    return certificate


def pdf_of(certificate) -> bytes:
    with certificate.file.open("rb") as f:
        return f.read()


def upload(client, data: bytes, name="certificate.pdf"):
    return client.post(reverse("certificates:verify"), {"file": SimpleUploadedFile(name, data, "application/pdf")})


def test_the_qr_link_shows_a_valid_certificate_with_the_least_personal_data(client, issued):
    page = client.get(reverse("certificates:verify_code", args=[issued.code])).text  # no login
    assert 'data-valid="true"' in page
    for shown in (issued.number, issued.holder_name, issued.masked_iin, "Certificate of completion"):
        assert shown in page
    assert issued.iin not in page and issued.application.phone.as_e164 not in page


def test_a_number_is_looked_up_and_an_unknown_one_is_said_so(client, issued):
    page = client.get(reverse("certificates:verify"), {"number": issued.number.lower()}).text
    assert 'data-valid="true"' in page and issued.holder_name in page
    page = client.get(reverse("certificates:verify"), {"number": "BST-2026-999999"}).text
    assert 'data-valid="none"' in page and issued.holder_name not in page


def test_revoked_then_reissued_the_old_number_shows_revoked_and_the_new_one_valid(client, issued, chamber_user):
    new = services.certificate_reissue(actor=chamber_user, certificate_id=issued.pk, reason="Surname corrected")
    old_page = client.get(reverse("certificates:verify_code", args=[issued.code])).text
    assert 'data-valid="false"' in old_page and f"It was replaced by certificate No. {new.number}." in old_page
    assert "Surname corrected" not in old_page  # the reason is the Chamber's, not the public's
    new_page = client.get(reverse("certificates:verify"), {"number": new.number}).text
    assert 'data-valid="true"' in new_page


def test_an_uploaded_genuine_pdf_is_recognised_and_a_revoked_one_said_revoked(client, issued, chamber_user):
    data = pdf_of(issued)
    page = upload(client, data).text
    assert 'data-outcome="genuine"' in page and issued.number in page
    services.certificate_revoke(actor=chamber_user, certificate_id=issued.pk, reason="Issued in error")
    page = upload(client, data).text
    assert 'data-outcome="revoked"' in page and 'data-valid="false"' in page


@pytest.mark.parametrize("where", [0.1, 0.3, 0.5, 0.7, 0.9, 0.99])
def test_a_pdf_with_one_byte_changed_is_reported_altered(client, issued, where):
    """Anywhere: in the signed bytes (the signature no longer matches), in the signature's own unsigned
    padding (the file is no longer the one we issued), in the cross-reference table."""
    data = bytearray(pdf_of(issued))
    position = int(len(data) * where)
    data[position] = (data[position] + 1) % 256
    page = upload(client, bytes(data)).text
    assert 'data-outcome="altered"' in page and issued.holder_name not in page


def test_a_pdf_with_something_appended_after_signing_is_reported_altered(client, issued):
    from io import BytesIO

    from pyhanko.pdf_utils.generic import NameObject, TextStringObject
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(pdf_of(issued)))
    info = writer.trailer["/Info"]
    info[NameObject("/Title")] = TextStringObject("Certificate of completion, with honours")
    writer.update_container(info)
    out = BytesIO()
    writer.write(out)
    assert 'data-outcome="altered"' in upload(client, out.getvalue()).text


def test_a_pdf_signed_with_another_key_is_not_ours(client, issued, tmp_path, settings):
    from certificates import rendering, signing

    # The same certificate signed with a stranger's self-signed key whose certificate names itself like ours.
    ours = (
        settings.CERTIFICATE_SIGNING_KEY,
        settings.CERTIFICATE_SIGNING_CERT,
        settings.CERTIFICATE_SIGNING_PASSPHRASE,
    )
    key, cert = make_self_signed_pair(tmp_path / "stranger")
    settings.CERTIFICATE_SIGNING_KEY, settings.CERTIFICATE_SIGNING_CERT = str(key), str(cert)
    settings.CERTIFICATE_SIGNING_PASSPHRASE = ""
    forged = rendering.render_signed(issued)
    settings.CERTIFICATE_SIGNING_KEY, settings.CERTIFICATE_SIGNING_CERT, settings.CERTIFICATE_SIGNING_PASSPHRASE = ours
    check = signing.check_pdf(forged)
    assert (check.genuine, check.problem) == (False, "not our signing certificate")
    assert 'data-outcome="altered"' in upload(client, forged).text


def test_uploads_are_bounded_in_type_and_size(client, settings):
    response = upload(client, b"GIF89a not a pdf")
    assert response.status_code == 400 and "This is not a PDF file." in response.text
    settings.CERTIFICATE_UPLOAD_MAX_BYTES = 1024
    response = upload(client, b"%PDF-1.7\n" + b"0" * 2000)
    assert response.status_code == 400 and "larger than" in response.text


def test_the_public_page_is_rate_limited(client, settings, issued):
    settings.RATELIMITS = {**settings.RATELIMITS, "verify": "3/m", "verify-upload": "1/m"}
    url = reverse("certificates:verify_code", args=[issued.code])
    assert [client.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert [upload(client, b"%PDF-1.7 x").status_code for _ in range(2)] == [200, 429]
