"""Bulk import of applicants from an employment centre's register: upload, preview, confirm."""

import csv
import datetime
import io
import itertools

import openpyxl
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from applications import imports, services
from applications.models import Application, Channel, ImportJob, Status
from applications.tasks import IMPORT, import_run_task
from core.errors import Refused
from tests.factories import StreamFactory, make_application, make_iin, make_staff

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 15, 12, tzinfo=datetime.UTC)
_phones = itertools.count(7_300_000)


@pytest.fixture(autouse=True)
def _media_and_clock(settings, tmp_path):
    """Uploaded registers go to a temporary folder; the clock stands still in an open stream."""
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def stream(db):
    return StreamFactory()  # takes applications 1–30 November 2026


def register_row(district, *, birth_date=datetime.date(1990, 5, 17), sex="F", **overrides) -> dict[str, str]:
    """One line of a register that passes every rule, for an applicant of `district`.

    The sex column is left empty (taken from the IIN): M/F is tested on its own below."""
    row = {
        "iin": make_iin(birth_date, sex),
        "last_name": "Ахметова",
        "first_name": "Жанар",
        "patronymic": "Серікқызы",
        "birth_date": birth_date.isoformat(),
        "sex": "",
        "phone": f"+7701{next(_phones):07d}",
        "email": "",
        "district_kato": district.kato_code,
        "employment_status": "unemployed",
        "education": "secondary",
        "sector": "agriculture",
        "business_idea": "Наубайхана ашу",
    }
    row.update(overrides)
    return row


def as_csv(rows: list[dict], *, delimiter=",") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=imports.COLUMNS, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def as_xlsx(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(imports.COLUMNS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(client, name, content, *, consent=True, capture):
    """Post the register through the upload page; the check task runs when the request commits."""
    data = {"file": SimpleUploadedFile(name, content)}
    if consent:
        data["consent_confirmed"] = "on"
    with capture(execute=True):
        return client.post(reverse("applications:import"), data)


def confirm(client, job, *, capture):
    with capture(execute=True):
        return client.post(reverse("applications:import_confirm", args=[job.code]))


def errors_by_line(job) -> dict[int, list[str]]:
    return {row["line"]: row["errors"] for row in job.rows}


@pytest.fixture
def register(centre_user, other_district, stream):
    """A register of 9 lines: 3 good ones (lines 2-4), then 6 that each break one rule (lines 5-10)."""
    mine = centre_user.organisation.district
    already_applied = make_application(district=mine)
    good = [
        register_row(mine),
        register_row(mine, birth_date=datetime.date(1985, 2, 3), sex="M", last_name="Серікбаев"),
        # No date of birth and sex: both come from the IIN.
        {**register_row(mine, birth_date=datetime.date(1979, 10, 28), sex="M"), "birth_date": ""},
    ]
    mistyped = register_row(mine)
    mistyped["iin"] = mistyped["iin"][:11] + str((int(mistyped["iin"][11]) + 1) % 10)
    bad = {
        "mistyped_iin": mistyped,
        "under_age": register_row(mine, birth_date=datetime.date(2010, 3, 1)),
        "duplicate": register_row(mine, iin=good[0]["iin"], first_name="Басқа"),
        "already_applied": register_row(mine, iin=already_applied.iin),
        "unknown_district": register_row(mine, district_kato="199999999"),
        "other_district": register_row(other_district),
    }
    return {
        "good": good,
        "bad": bad,
        "content": as_csv([*good, *bad.values()]),
        "good_lines": [2, 3, 4],  # line 1 is the header
        "line": {name: line for line, name in enumerate(bad, start=5)},
    }


@pytest.fixture
def previewed(login, centre_user, register, django_capture_on_commit_callbacks):
    client = login(centre_user)
    response = upload(client, "register.csv", register["content"], capture=django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:import_job", args=[job.code])
    job.refresh_from_db()
    return client, job


# --- 1. Preview --------------------------------------------------------------------------------


def test_it_previews_every_row_with_its_own_errors_and_creates_nothing(previewed, register):
    client, job = previewed
    before = Application.objects.count()  # only the applicant who applied earlier
    assert job.state == ImportJob.State.PREVIEW
    assert job.total_rows == job.processed_rows == 9
    errors = errors_by_line(job)
    line = register["line"]
    for good_line in register["good_lines"]:
        assert errors[good_line] == []
    assert any("check digit does not match" in e for e in errors[line["mistyped_iin"]])
    assert any("when you turn 18" in e for e in errors[line["under_age"]])
    assert errors[line["duplicate"]] == ["The same IIN is on line 2."]
    assert errors[line["already_applied"]] == ["This IIN already has an application in progress."]
    assert errors[line["unknown_district"]] == ["Unknown district: 199999999."]
    assert errors[line["other_district"]] == ["The district is not yours."]
    for bad in ("mistyped_iin", "under_age"):
        assert len(errors[line[bad]]) == 1, errors[line[bad]]

    page = client.get(reverse("applications:import_job", args=[job.code])).text
    assert "Rows without errors: 3. Rows with errors: 6." in page
    assert "Import the 3 rows without errors" in page
    assert "The district is not yours." in page
    assert Application.objects.count() == before == 1


# --- 2. Confirmation ---------------------------------------------------------------------------


def test_it_imports_exactly_the_rows_without_errors_once_confirmed(
    previewed, register, centre_user, django_capture_on_commit_callbacks
):
    client, job = previewed
    response = confirm(client, job, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302

    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE
    assert job.imported_count == 3
    assert job.finished_at is not None
    imported = Application.objects.filter(registered_at_organisation=centre_user.organisation)
    assert sorted(a.iin for a in imported) == sorted(r["iin"] for r in register["good"])
    assert {(a.channel, a.status, a.registered_by_id) for a in imported} == {
        (Channel.EMPLOYMENT_CENTRE, Status.SUBMITTED, centre_user.pk)
    }
    from_iin = imported.get(iin=register["good"][2]["iin"])
    assert (from_iin.birth_date, from_iin.sex) == (datetime.date(1979, 10, 28), "M")
    assert all(a.number and a.changes.filter(to_status=Status.SUBMITTED).exists() for a in imported)
    page = client.get(reverse("applications:import_job", args=[job.code])).text
    assert "3 applications imported." in page


@pytest.mark.parametrize(
    ("role", "channel"),
    [(Role.AKIMAT, Channel.AKIMAT), (Role.CHAMBER, Channel.CHAMBER)],
)
def test_it_registers_imported_applications_in_the_channel_of_the_uploaders_organisation(
    login, district, role, channel, django_capture_on_commit_callbacks
):
    staff = make_staff(role, district=district)
    client = login(staff)
    upload(client, "register.csv", as_csv([register_row(district)]), capture=django_capture_on_commit_callbacks)
    confirm(client, ImportJob.objects.get(), capture=django_capture_on_commit_callbacks)
    assert Application.objects.get().channel == channel


def test_it_reports_a_row_whose_iin_applied_since_the_preview_and_imports_the_rest(
    previewed, register, django_capture_on_commit_callbacks
):
    client, job = previewed
    make_application(district=job.district, iin=register["good"][1]["iin"])
    confirm(client, job, capture=django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE
    assert job.imported_count == 2
    assert errors_by_line(job)[3] == ["This IIN already has an application in progress."]


@pytest.mark.parametrize(("written", "sex"), [("F", "F"), ("M", "M"), ("f", "F"), ("Female", "F")])
def test_it_takes_the_sex_column_as_m_or_f(centre_user, written, sex):
    """The upload page and the error text say "sex must be M or F"."""
    mine = centre_user.organisation.district
    row = {**register_row(mine, sex=sex), "sex": written}
    applicant, errors = imports.row_to_applicant(row, {mine.kato_code: mine})
    assert errors == []
    assert applicant.sex == sex


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("last_name", "Ахметова" * 13),  # 104 letters: the column holds 100
        ("first_name", "Zhanar"),  # the form asks for Cyrillic, as in the identity card
        ("email", "zhanar.mail.kz"),
    ],
)
def test_it_flags_in_the_preview_a_value_the_application_form_would_refuse(
    login, centre_user, column, value, django_capture_on_commit_callbacks
):
    """The preview promises that its good rows go in: a row the form refuses must carry an error."""
    row = {**register_row(centre_user.organisation.district), column: value}
    upload(login(centre_user), "register.csv", as_csv([row]), capture=django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.PREVIEW
    assert errors_by_line(job)[2] != []


# --- 3. XLSX -----------------------------------------------------------------------------------


def test_it_imports_an_xlsx_register_like_a_csv_one(login, centre_user, stream, django_capture_on_commit_callbacks):
    mine = centre_user.organisation.district
    good = register_row(mine)
    under_age = register_row(mine, birth_date=datetime.date(2010, 3, 1))
    # Spreadsheets hold real dates and numbers, not text.
    cells = [
        [
            row["iin"],
            row["last_name"],
            row["first_name"],
            row["patronymic"],
            datetime.datetime.fromisoformat(row["birth_date"]),
            row["sex"],
            int(row["phone"].lstrip("+")),
            None,
            int(row["district_kato"]),
            "Unemployed",  # the label, as on the form
            "secondary",
            "agriculture",
            row["business_idea"],
        ]
        for row in (good, under_age)
    ]
    client = login(centre_user)
    upload(client, "register.xlsx", as_xlsx(cells), capture=django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.PREVIEW
    errors = errors_by_line(job)
    assert errors[2] == []
    assert any("when you turn 18" in e for e in errors[3])
    assert Application.objects.count() == 0

    confirm(client, job, capture=django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert (job.state, job.imported_count) == (ImportJob.State.DONE, 1)
    application = Application.objects.get()
    assert application.iin == good["iin"]
    assert application.birth_date == datetime.date(1990, 5, 17)
    assert str(application.phone) == good["phone"]
    assert application.employment_status == "unemployed"


def test_it_reads_a_semicolon_separated_csv(login, centre_user, django_capture_on_commit_callbacks):
    """Excel set to Russian or Kazakh saves CSV with semicolons."""
    content = as_csv([register_row(centre_user.organisation.district)], delimiter=";")
    upload(login(centre_user), "register.csv", content, capture=django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.PREVIEW
    assert errors_by_line(job) == {2: []}


def test_it_reads_a_csv_whose_business_idea_contains_a_comma(login, centre_user, django_capture_on_commit_callbacks):
    """A comma inside a quoted field is ordinary CSV (Excel saves it so, with CRLF line ends)."""
    mine = centre_user.organisation.district
    rows = [
        register_row(mine),
        register_row(mine, business_idea="Тігін шеберханасы, көйлек пен пердe тігу"),
        register_row(mine),
    ]
    response = upload(login(centre_user), "register.csv", as_csv(rows), capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.PREVIEW
    assert errors_by_line(job) == {2: [], 3: [], 4: []}


def test_it_keeps_quotation_marks_in_a_business_idea_as_typed(login, centre_user, django_capture_on_commit_callbacks):
    mine = centre_user.organisation.district
    rows = [register_row(mine, business_idea='Наубайхана "Алтын нан"'), register_row(mine)]
    client = login(centre_user)
    upload(client, "register.csv", as_csv(rows), capture=django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.rows[0]["data"]["business_idea"] == 'Наубайхана "Алтын нан"'


# --- 4. Error report ---------------------------------------------------------------------------


def test_it_gives_an_error_report_with_one_line_per_bad_row_and_its_reasons(previewed, register):
    client, job = previewed
    response = client.get(reverse("applications:import_errors", args=[job.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, *lines = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert header == ["line", *imports.COLUMNS, "errors"]
    by_line = {line[0]: dict(zip(header, line, strict=True)) for line in lines}
    assert sorted(by_line) == sorted(register["line"].values())
    line = register["line"]
    assert by_line[line["unknown_district"]]["errors"] == "Unknown district: 199999999."
    assert by_line[line["unknown_district"]]["district_kato"] == "199999999"
    assert by_line[line["duplicate"]]["errors"] == "The same IIN is on line 2."
    assert by_line[line["duplicate"]]["iin"] == register["bad"]["duplicate"]["iin"]
    assert "check digit" in by_line[line["mistyped_iin"]]["errors"]
    assert "turn 18" in by_line[line["under_age"]]["errors"]
    assert by_line[line["already_applied"]]["errors"] == "This IIN already has an application in progress."
    assert by_line[line["other_district"]]["errors"] == "The district is not yours."


# --- 5. All or nothing -------------------------------------------------------------------------


def test_it_imports_nothing_when_the_task_fails_halfway(previewed, centre_user, monkeypatch):
    client, job = previewed
    before = Application.objects.count()
    real_submit = services.application_submit
    second = job.valid_rows[1]["data"]["iin"]

    def submit_then_break(**kwargs):
        if kwargs["applicant"].iin == second:  # every try breaks on the second row
            raise RuntimeError("database went away")
        return real_submit(**kwargs)

    monkeypatch.setattr(services, "application_submit", submit_then_break)
    job = imports.import_confirm(job=job, actor=centre_user)
    assert job.state == ImportJob.State.IMPORTING
    with pytest.raises(RuntimeError, match="database went away"):
        imports.import_run(job_id=job.pk)  # one try: rolled back, left to the task's retry
    job.refresh_from_db()
    assert (job.state, job.attempts, Application.objects.count()) == (ImportJob.State.IMPORTING, 1, before)
    # The task retries with a backoff (eagerly here) until the cap of tries, then the job says why.
    assert import_run_task.apply(args=[job.pk]).get() == "failed"

    job.refresh_from_db()
    assert job.attempts == IMPORT.max_attempts
    assert Application.objects.count() == before
    assert job.state == ImportJob.State.FAILED
    assert job.error == "The server could not finish the import; it has been reported. Try again later."
    assert job.imported_count == 0
    page = client.get(reverse("applications:import_job", args=[job.code])).text
    assert "The import failed and nothing was imported." in page
    assert "The server could not finish the import" in page and "database went away" not in page


# --- 6. Refusals at upload ---------------------------------------------------------------------


def test_it_requires_the_consent_confirmation(login, centre_user, django_capture_on_commit_callbacks):
    content = as_csv([register_row(centre_user.organisation.district)])
    response = upload(
        login(centre_user), "register.csv", content, consent=False, capture=django_capture_on_commit_callbacks
    )
    assert response.status_code == 200
    assert response.context["form"].errors["consent_confirmed"] == ["This field is required."]
    assert not ImportJob.objects.exists()


def test_the_service_refuses_an_import_without_consent_on_the_consent_field(centre_user):
    content = as_csv([register_row(centre_user.organisation.district)])
    with pytest.raises(ValidationError) as refusal:
        imports.import_start(
            actor=centre_user, upload=SimpleUploadedFile("register.csv", content), consent_confirmed=False
        )
    assert list(refusal.value.message_dict) == ["consent_confirmed"]
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param("register.txt", b"iin,last_name\n", "Upload a .csv or .xlsx file.", id="text"),
        pytest.param("register.pdf", b"%PDF-1.7\n", "Upload a .csv or .xlsx file.", id="pdf"),
        pytest.param(
            "register.xlsx", b"iin,last_name,first_name\n", "The file is not a readable XLSX workbook.", id="fake-xlsx"
        ),
        pytest.param(
            "register.csv",
            b"iin,last_name,first_name,district_kato,employment_status,education,business_idea\n",
            "Columns missing from the first row: phone, sector.",
            id="missing-columns",
        ),
        pytest.param("register.csv", "iin;Фамилия\n".encode("cp1251"), "Save the CSV file in UTF-8.", id="cp1251"),
    ],
)
def test_it_refuses_a_file_it_cannot_import_at_upload_and_creates_no_job(
    login, centre_user, name, content, message, django_capture_on_commit_callbacks
):
    response = upload(login(centre_user), name, content, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [message]
    assert message in response.text
    assert not ImportJob.objects.exists()


def test_it_refuses_an_xlsx_missing_required_columns(login, centre_user, django_capture_on_commit_callbacks):
    workbook = openpyxl.Workbook()
    workbook.active.append(["iin", "last_name", "first_name", "phone", "district_kato"])
    out = io.BytesIO()
    workbook.save(out)
    response = upload(login(centre_user), "register.xlsx", out.getvalue(), capture=django_capture_on_commit_callbacks)
    assert response.context["form"].errors["file"] == [
        "Columns missing from the first row: business_idea, education, employment_status, sector."
    ]
    assert not ImportJob.objects.exists()


# --- 7. Who may see what -----------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["applications:import_job", "applications:import_errors"])
def test_staff_of_another_district_cannot_open_someone_elses_import(previewed, login, outsider, url_name):
    _client, job = previewed
    response = login(outsider).get(reverse(url_name, args=[job.code]))
    assert response.status_code == 404


def test_staff_of_another_district_can_neither_confirm_nor_see_the_import_listed(
    previewed, login, outsider, django_capture_on_commit_callbacks
):
    _client, job = previewed
    client = login(outsider)
    response = confirm(client, job, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 404
    job.refresh_from_db()
    assert job.state == ImportJob.State.PREVIEW
    page = client.get(reverse("applications:import")).text
    assert reverse("applications:import_job", args=[job.code]) not in page


def test_a_citizen_cannot_open_the_import_page(login, citizen):
    assert login(citizen).get(reverse("applications:import")).status_code == 403


def test_regional_staff_are_told_imports_need_a_district_office(login, district):
    """A Chamber branch may work for a whole region (DOMAIN.md), but an import registers its rows in
    the uploading office's district: a regional office is told so, and is not offered the page."""
    regional = make_staff(Role.CHAMBER, region=district.region)
    client = login(regional)
    response = client.get(reverse("applications:import"))
    assert response.status_code == 403
    assert "imported by a district office" in response.text
    assert reverse("applications:import") not in client.get(reverse("portal:home")).text
    with pytest.raises(Refused, match="district office"):
        imports.import_start(actor=regional, upload=None, consent_confirmed=True)
    assert not ImportJob.objects.exists()


# --- 8. Safe to run twice ----------------------------------------------------------------------


def test_running_the_import_twice_imports_once(previewed, register, centre_user, django_capture_on_commit_callbacks):
    client, job = previewed
    confirm(client, job, capture=django_capture_on_commit_callbacks)
    after_first = Application.objects.count()

    imports.import_run(job_id=job.pk)

    job.refresh_from_db()
    assert Application.objects.count() == after_first
    assert job.state == ImportJob.State.DONE
    assert job.imported_count == 3
    assert errors_by_line(job)[2] == []  # not reported as "already has an application"


def test_confirming_twice_is_refused_with_a_message(previewed, django_capture_on_commit_callbacks):
    client, job = previewed
    confirm(client, job, capture=django_capture_on_commit_callbacks)
    after_first = Application.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applications:import_confirm", args=[job.code]), follow=True)
    assert "This import has already started." in response.text
    assert Application.objects.count() == after_first


def test_checking_twice_keeps_the_first_preview(previewed, register, centre_user):
    """A second delivery of the check task must not redo the preview the user is looking at."""
    _client, job = previewed
    rows, total = job.rows, job.total_rows
    # Change what a second check would find: a good row's applicant now has an application, and
    # the stored file holds one other line. A re-check would report both; the first preview stays.
    make_application(district=centre_user.organisation.district, iin=register["good"][0]["iin"])
    with job.file.open("wb") as fh:
        fh.write(as_csv([register_row(centre_user.organisation.district)]))

    imports.import_check(job_id=job.pk)

    job.refresh_from_db()
    assert job.state == ImportJob.State.PREVIEW
    assert (job.total_rows, job.processed_rows) == (total, total) == (9, 9)
    assert job.rows == rows
    assert errors_by_line(job)[2] == []
