"""A plan uploaded as a file: its type from its content, its size bounded, a name the server picks, and
downloads only for those who may read the plan."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from plans import services
from plans.uploads import DOCX, PDF, detect_type
from tests.factories import make_staff

PDF_BYTES = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes(members=("[Content_Types].xml", "word/document.xml", "_rels/.rels")) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in members:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("plan.pdf", PDF_BYTES, PDF),
        ("plan.docx", docx_bytes(), DOCX),
        ("plan.txt", PDF_BYTES, PDF),  # the name does not matter, the content does
        ("plan.pdf", b"MZ\x90\x00\x03 this is a Windows program", None),  # an .exe renamed
        ("plan.pdf", "Бизнес-жоспар, жай мәтін".encode(), None),  # a .txt renamed
        ("plan.docx", docx_bytes(("[Content_Types].xml", "xl/workbook.xml")), None),  # an XLSX renamed
        ("plan.docx", b"PK\x03\x04 broken zip", None),
        ("plan.pdf", b"", None),
    ],
)
def test_the_type_comes_from_the_content(name, content, kind):
    assert detect_type(upload(name, content)) == kind


def test_a_pdf_is_stored_under_a_name_the_server_picks(participant):
    plan = services.plan_upload(
        actor=participant.applicant, application=participant, upload=upload("Серікбаев Нұрлан жоспар.pdf", PDF_BYTES)
    )
    stored = plan.draft_file.name
    assert stored.startswith("plans/") and stored.endswith(".pdf")
    assert "Серікбаев" not in stored and len(stored.split("/")[-1]) == 32 + 4
    assert plan.draft_file_type == PDF and plan.draft_file_size == len(PDF_BYTES)
    version = services.plan_submit(actor=participant.applicant, application=participant)
    assert version.file.name == stored  # the version keeps the file it was submitted with


def test_a_docx_named_pdf_is_stored_as_docx(participant):
    plan = services.plan_upload(
        actor=participant.applicant, application=participant, upload=upload("x.pdf", docx_bytes())
    )
    assert plan.draft_file.name.endswith(".docx") and plan.draft_file_type == DOCX


def test_a_renamed_program_is_refused_on_the_field(participant):
    with pytest.raises(ValidationError) as exc:
        services.plan_upload(
            actor=participant.applicant, application=participant, upload=upload("plan.pdf", b"MZ\x90\x00")
        )
    assert exc.value.message_dict == {"file": ["Attach a PDF or a Word (DOCX) file."]}


def test_the_size_is_bounded_by_a_setting(participant, settings):
    settings.PLAN_UPLOAD_MAX_BYTES = 2 * 1024 * 1024
    with pytest.raises(ValidationError) as exc:
        services.plan_upload(
            actor=participant.applicant,
            application=participant,
            upload=upload("big.pdf", PDF_BYTES + b"0" * (2 * 1024 * 1024)),
        )
    assert exc.value.message_dict == {"file": ["The file is larger than 2 MB."]}
    exact = PDF_BYTES + b"0" * (2 * 1024 * 1024 - len(PDF_BYTES))
    assert services.plan_upload(actor=participant.applicant, application=participant, upload=upload("ok.pdf", exact))


def test_uploading_through_the_page(participant, client):
    client.force_login(participant.applicant)
    url = reverse("plans:upload", args=[participant.code])
    response = client.post(url, {"file": upload("plan.pdf", b"MZ\x90\x00")}, follow=True)
    assert "Attach a PDF or a Word (DOCX) file." in response.text
    response = client.post(url, {"file": upload("plan.pdf", PDF_BYTES)}, follow=True)
    assert "The file is attached to your plan." in response.text
    download = client.get(reverse("plans:draft_file", args=[participant.code]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Disposition"].startswith("attachment;")


def test_the_file_of_a_version_is_downloaded_only_by_its_readers(trained, participant, trainer, client, other_chamber):
    services.plan_upload(actor=participant.applicant, application=participant, upload=upload("plan.pdf", PDF_BYTES))
    version = services.plan_submit(actor=participant.applicant, application=participant)
    url = reverse("plans:file", args=[version.code])
    for reader in (participant.applicant, trainer, make_staff(Role.CHAMBER, district=participant.district)):
        client.force_login(reader)
        assert client.get(url).status_code == 200
    other_participant = trained[0][1]
    for outsider in (
        other_participant.applicant,
        other_chamber,
        make_staff(Role.TRAINER, district=participant.district),
    ):
        client.force_login(outsider)
        assert client.get(url).status_code in (403, 404)
    # Not frozen: the area's commission does not read it yet.
    client.force_login(make_staff(Role.COMMISSION, district=participant.district))
    assert client.get(url).status_code == 404
    # Never a public media URL: the media root is not served.
    client.logout()
    assert client.get("/media/" + version.file.name).status_code in (302, 404)
