"""Uploads are bounded before they are read; odd dates are field or row errors (issue 9)."""

import datetime
import io
import time
import zipfile

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from applications import imports
from applications.models import ImportJob
from core import spreadsheets
from tests.applications.test_import import as_csv, register_row, upload
from tests.applications.test_pages import form_data
from tests.factories import StreamFactory

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 15, 12, tzinfo=datetime.UTC)


@pytest.fixture
def stream(db):
    return StreamFactory()


@pytest.fixture(autouse=True)
def _clock(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(NOW, tick=False):
        yield


def zip_bomb_xlsx(uncompressed_mb: int) -> bytes:
    """A workbook whose sheet unpacks to `uncompressed_mb` MB of repeated rows but weighs ~100 KB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            row = b'<row><c t="inlineStr"><is><t>1</t></is></c></row>' * 20_000  # ~1 MB
            for _ in range(uncompressed_mb):
                sheet.write(row)
    return out.getvalue()


def test_a_zip_bomb_xlsx_is_refused_from_its_directory_without_being_opened(
    login, centre_user, monkeypatch, django_capture_on_commit_callbacks
):
    content = zip_bomb_xlsx(60)
    assert len(content) < 1_000_000
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("opened the zip bomb"))
    started = time.perf_counter()
    response = upload(login(centre_user), "register.xlsx", content, capture=django_capture_on_commit_callbacks)
    assert time.perf_counter() - started < 2
    assert response.status_code == 200
    assert "unpacks to more than 50 MB" in response.context["form"].errors["file"][0]
    assert not ImportJob.objects.exists()


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(login, centre_user, django_capture_on_commit_callbacks):
    content = b"iin," + b"x" * spreadsheets.IMPORT_MAX_BYTES
    response = upload(login(centre_user), "register.csv", content, capture=django_capture_on_commit_callbacks)
    assert response.context["form"].errors["file"] == [
        "The file is larger than 5 MB: split the register into smaller files."
    ]


def test_the_request_reads_only_the_header_and_the_task_refuses_too_many_rows(
    login, centre_user, stream, django_capture_on_commit_callbacks
):
    district = centre_user.organisation.district
    rows = [register_row(district) for _ in range(imports.MAX_ROWS + 1)]
    response = upload(login(centre_user), "register.csv", as_csv(rows), capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302  # accepted at once: the rows are the task's to read
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.FAILED
    assert job.error == "At most 5000 rows per file."


def test_the_row_limit_is_enforced_while_streaming_an_xlsx(monkeypatch):
    """A sheet of blank rows under the size cap: reading stops at the limit, not at the end."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(imports.COLUMNS)
    for _ in range(imports.MAX_SCANNED_LINES * 5):
        sheet.append(["x"])
    out = io.BytesIO()
    workbook.save(out)
    content = out.getvalue()
    consumed = []
    real_lines = spreadsheets._lines

    def counting(name, data):
        for line in real_lines(name, data):
            consumed.append(1)
            yield line

    monkeypatch.setattr(spreadsheets, "_lines", counting)
    with pytest.raises(Exception, match="At most 5000 rows per file"):
        imports.read_rows("register.xlsx", content, required={"iin"})
    assert len(consumed) <= imports.MAX_ROWS + 2


def test_the_row_limit_counts_blank_lines_of_a_csv_too():
    content = b"iin\n" + b"\n" * (imports.MAX_SCANNED_LINES + 10) + b"061211600012\n"
    with pytest.raises(Exception, match="At most 5000 rows per file"):
        imports.read_rows("register.csv", content, required={"iin"})


# --- Odd dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize("birth_date", ["9999-12-31", "1899-12-31", "2026-11-16", "0001-01-01"])
def test_an_impossible_birth_date_on_the_form_is_a_field_error_not_a_500(client, district, birth_date):
    StreamFactory()
    response = client.post(reverse("applications:apply"), form_data(district, birth_date=birth_date))
    assert response.status_code == 200
    assert response.context["form"].errors["birth_date"] == ["Enter a date of birth between 1 January 1900 and today."]


@pytest.mark.parametrize("birth_date", ["9999-12-31", "31.12.9999", "1899-01-01"])
def test_an_impossible_birth_date_in_an_import_is_a_row_error(
    login, centre_user, stream, birth_date, django_capture_on_commit_callbacks
):
    district = centre_user.organisation.district
    rows = [register_row(district), {**register_row(district), "birth_date": birth_date}]
    upload(login(centre_user), "register.csv", as_csv(rows), capture=django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.PREVIEW
    assert len(job.valid_rows) == 1
    (bad,) = job.invalid_rows
    assert bad["line"] == 3 and any("date of birth between" in e for e in bad["errors"])


def test_the_service_refuses_an_impossible_birth_date_too(district):
    from django.core.exceptions import ValidationError

    from applications import services
    from tests.factories import make_applicant

    applicant = make_applicant(district=district)
    applicant.birth_date = datetime.date(9999, 12, 31)
    assert "birth_date" in services.check_applicant(applicant, today=NOW.date())
    with pytest.raises(ValidationError) as info:
        services.application_submit(applicant=applicant, actor=None)
    assert "birth_date" in info.value.message_dict
