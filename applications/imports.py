"""Bulk import of applicants from the employment centre's own register (CSV or XLSX).

1. `import_start` stores the file and queues the check;
2. `import_check` reads every row, checks it with the same rules as the form, keeps a preview;
3. `import_confirm` queues `import_run`, which creates the valid rows in one transaction:
   either all of them go in or, when the task fails, none do.
"""

import datetime
import io
import logging

import openpyxl
import phonenumbers
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts import policy
from applications import rules, services
from applications.iin import parse_iin
from applications.models import Education, EmploymentStatus, ImportJob, Sector, Sex
from core import jobs, outbox, spreadsheets
from core.downloads import append_row
from core.errors import Conflict
from core.models import is_number
from core.spreadsheets import check_upload_size
from geography.models import District

log = logging.getLogger("bastau.imports")

COLUMNS = [
    "iin",
    "last_name",
    "first_name",
    "patronymic",
    "birth_date",
    "sex",
    "phone",
    "email",
    "district_kato",
    "employment_status",
    "education",
    "sector",
    "business_idea",
]
REQUIRED = {
    "iin",
    "last_name",
    "first_name",
    "phone",
    "district_kato",
    "employment_status",
    "education",
    "sector",
    "business_idea",
}
# The header a clerk sees in the template file, in their language; a register's first row may use
# any of these labels in Kazakh, Russian or English, or the column keys themselves.
COLUMN_LABELS = {
    "iin": _lazy("IIN"),
    "last_name": _lazy("Surname"),
    "first_name": _lazy("Name"),
    "patronymic": _lazy("Patronymic"),
    "birth_date": _lazy("Date of birth"),
    "sex": _lazy("Sex"),
    "phone": _lazy("Phone"),
    "email": _lazy("E-mail"),
    "district_kato": _lazy("District KATO code"),
    "employment_status": _lazy("Employment status"),
    "education": _lazy("Education"),
    "sector": _lazy("Sector"),
    "business_idea": _lazy("Business idea"),
}


def header_aliases() -> dict[str, str]:
    """Every accepted spelling of every column's header → its key."""
    aliases = {}
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            aliases.update({spreadsheets.normalise(label): key for key, label in COLUMN_LABELS.items()})
    return aliases


def template_xlsx() -> bytes:
    """An empty register with the expected columns, headed in the active language."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = str(_("Register"))[:31]
    append_row(sheet, [str(COLUMN_LABELS[key]) for key in COLUMNS])
    for column in range(1, len(COLUMNS) + 1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(column)].width = 22
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


MAX_ROWS = spreadsheets.MAX_ROWS
MAX_SCANNED_LINES = spreadsheets.MAX_SCANNED_LINES
PROGRESS_EVERY = 25


def _progress_key(job_id: int) -> str:
    return f"import-progress:{job_id}"


def progress_of(job: ImportJob) -> int:
    """Rows done so far; during a run the count lives in the cache (the rows are not committed yet)."""
    try:
        return cache.get(_progress_key(job.pk), job.processed_rows)
    except Exception:  # Redis unreachable: the committed count in the database, never a 500
        log.warning("Import progress of %s read from the database: the cache is unreachable", job.pk)
        return job.processed_rows


def read_header(name: str, content: bytes, required: set[str] = REQUIRED) -> list[str]:
    return spreadsheets.read_header(name, content, required, header_aliases())


def read_rows(name: str, content: bytes, required: set[str] = REQUIRED) -> list[dict[str, str]]:
    return spreadsheets.read_rows(name, content, required, header_aliases())


def _parse_date(text: str) -> datetime.date | None:
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007  a date, not a moment
        except ValueError:
            continue
    return None


def _choice(text: str, choices) -> str | None:
    value = text.strip().lower()
    for key, label in choices.choices:
        if value in {key.lower(), str(label).lower()}:
            return key
    return None


def row_to_applicant(row: dict, districts: dict[str, District]) -> tuple[services.Applicant | None, list[str]]:
    """Turn a row into an Applicant, or say what is wrong with it."""
    errors = []
    for column in sorted(REQUIRED):
        if not row.get(column):
            errors.append(_("%(column)s is empty.") % {"column": column})
    iin = row.get("iin", "")
    if is_number(iin) and len(iin) == 11:
        iin = iin.zfill(12)  # a spreadsheet that stored the IIN as a number dropped its leading zero
    encoded = None
    try:
        encoded = parse_iin(iin)
    except ValidationError as exc:
        errors.extend(exc.messages)
    for column, limit in (("last_name", 100), ("first_name", 100), ("patronymic", 100)):
        value = row.get(column, "")
        if not value:
            continue
        if len(value) > limit:
            errors.append(_("%(column)s is longer than %(limit)s characters.") % {"column": column, "limit": limit})
        else:
            try:
                rules.validate_cyrillic_name(value)
            except ValidationError as exc:
                errors.extend(f"{column}: {m}" for m in exc.messages)
    if row.get("email"):
        try:
            validate_email(row["email"])
        except ValidationError:
            errors.append(_("The e-mail address is not valid."))
    birth_date = _parse_date(row.get("birth_date", "")) if row.get("birth_date") else None
    if row.get("birth_date") and birth_date is None:
        errors.append(_("birth_date is not a date (use YYYY-MM-DD or DD.MM.YYYY)."))
    birth_date = birth_date or (encoded.birth_date if encoded else None)
    if birth_date and (message := rules.birth_date_error(birth_date, timezone.localdate())):
        errors.append(f"birth_date: {message}")
    if birth_date is None and encoded is None and iin and not errors:
        errors.append(_("The date of birth is missing."))
    sex = _choice(row.get("sex", ""), Sex) if row.get("sex") else (encoded.sex if encoded else None)
    if row.get("sex") and sex is None:
        errors.append(_("sex must be M or F."))
    phone = None
    try:
        number = phonenumbers.parse(row.get("phone", ""), "KZ")
        if phonenumbers.is_valid_number(number):
            phone = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        pass
    if row.get("phone") and phone is None:
        errors.append(_("The phone number is not valid."))
    district = districts.get(row.get("district_kato", ""))
    if row.get("district_kato") and district is None:
        errors.append(_("Unknown district: %(kato)s.") % {"kato": row.get("district_kato")})
    parsed = {
        "employment_status": _choice(row.get("employment_status", ""), EmploymentStatus),
        "education": _choice(row.get("education", ""), Education),
        "sector": _choice(row.get("sector", ""), Sector),
    }
    for column, value in parsed.items():
        if row.get(column) and value is None:
            errors.append(_("%(column)s has an unknown value: %(value)s.") % {"column": column, "value": row[column]})
    if errors:
        return None, errors
    applicant = services.Applicant(
        iin=iin,
        last_name=row["last_name"],
        first_name=row["first_name"],
        patronymic=row.get("patronymic", ""),
        birth_date=birth_date,
        sex=sex,
        phone=phone,
        email=row.get("email", ""),
        district=district,
        business_idea=row["business_idea"][:2000],
        is_citizen_confirmed=True,
        consent_given=True,
        **parsed,
    )
    return applicant, []


@transaction.atomic
def import_start(*, actor, upload, consent_confirmed: bool) -> ImportJob:
    policy.require(actor, "applications.import")
    if not consent_confirmed:
        raise ValidationError({"consent_confirmed": [_("Confirm that every applicant signed the consent form.")]})
    # The request reads no rows: the size, the zip's directory and the first row only; the rows
    # are read, streamed and bounded, by the check task (import_check).
    try:
        check_upload_size(upload)
        read_header(upload.name, upload.read())
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    upload.seek(0)
    job = ImportJob.objects.create(
        started_at=timezone.now(),
        file=upload,
        original_name=upload.name[:200],
        created_by=actor,
        organisation=actor.organisation,
        district=actor.organisation.district,
    )
    outbox.enqueue("applications.tasks.import_check_task", job.pk)
    return job


def import_check(*, job_id: int) -> str:
    """Check every row, as the form would, and keep a preview with each row's errors."""
    from applications.tasks import IMPORT

    if jobs.claim(IMPORT, job_id) is None:
        return "skipped"
    job = ImportJob.objects.select_related("created_by__organisation").get(pk=job_id)
    if job.state != ImportJob.State.CHECKING:
        return "skipped"
    try:
        with job.file.open("rb") as fh:
            rows = read_rows(job.original_name, fh.read())
    except (OSError, ValidationError) as exc:
        ImportJob.objects.filter(pk=job.pk).update(
            state=ImportJob.State.FAILED,
            error=" ".join(getattr(exc, "messages", [str(exc)])),
            finished_at=timezone.now(),
        )
        return ImportJob.State.FAILED
    job.total_rows = len(rows)
    job.save(update_fields=["total_rows"])
    districts = {d.kato_code: d for d in District.objects.all()}
    today = timezone.localdate()
    seen: dict[str, int] = {}
    preview = []
    for index, row in enumerate(rows, start=2):
        applicant, errors = row_to_applicant(row, districts)
        if applicant is not None:
            for field_errors in services.check_applicant(applicant, today=today).values():
                errors.extend(field_errors)
            if applicant.district.pk != job.district_id:
                errors.append(_("The district is not yours."))
        if row.get("iin") in seen:
            errors.append(_("The same IIN is on line %(line)s.") % {"line": seen[row["iin"]]})
        seen.setdefault(row.get("iin", ""), index)
        preview.append({"line": index, "data": row, "errors": errors})
        if index % PROGRESS_EVERY == 0:
            ImportJob.objects.filter(pk=job.pk).update(processed_rows=index - 1)
    job.rows = preview
    job.processed_rows = len(rows)
    job.state = ImportJob.State.PREVIEW
    job.save(update_fields=["rows", "processed_rows", "state"])
    return ImportJob.State.PREVIEW


@transaction.atomic
def import_confirm(*, job: ImportJob, actor) -> ImportJob:
    """Start importing the valid rows of a checked register: only the office that uploaded it may."""
    policy.require(actor, "applications.confirm_import", job)
    updated = ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.PREVIEW).update(
        state=ImportJob.State.IMPORTING, processed_rows=0, started_at=timezone.now(), attempts=0, error=""
    )
    if not updated:
        raise Conflict(_("This import has already started."))
    outbox.enqueue("applications.tasks.import_run_task", job.pk)
    job.refresh_from_db()
    return job


def import_run(*, job_id: int) -> str:
    """Create the valid rows in one transaction: either all of them go in or, when it fails, none do. The
    task (core.jobs.run) tries again with a backoff; after the last try the job says why it failed."""
    from applications.tasks import IMPORT

    if jobs.claim(IMPORT, job_id) is None:
        return "skipped"
    districts = {d.kato_code: d for d in District.objects.all()}
    try:
        with transaction.atomic():
            # Lock the job for the whole run. A copy of this task (the sweeper's) skips the locked row
            # and returns at once instead of holding a worker; a later run finds the job done.
            job = (
                ImportJob.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("created_by__organisation")
                .filter(pk=job_id)
                .first()
            )
            if job is None or job.state != ImportJob.State.IMPORTING:
                return "skipped"
            created, late_errors = 0, {}
            for done, row in enumerate(job.valid_rows, start=1):
                applicant, _errors = row_to_applicant(row["data"], districts)
                try:
                    with transaction.atomic():
                        services.application_submit(
                            applicant=applicant, actor=job.created_by, language=job.created_by.language or "kk"
                        )
                    created += 1
                except ValidationError as exc:
                    # Somebody applied with this IIN since the preview: report it, import the rest.
                    late_errors[row["line"]] = exc.messages
                cache.set(_progress_key(job_id), done, 3600)
            job.rows = [
                {**row, "errors": late_errors[row["line"]]} if row["line"] in late_errors else row for row in job.rows
            ]
            job.state = ImportJob.State.DONE
            job.imported_count = created
            job.processed_rows = created + len(late_errors)
            job.finished_at = timezone.now()
            job.save(update_fields=["rows", "state", "imported_count", "processed_rows", "finished_at"])
    except Exception:
        log.exception("Import %s failed", job_id)
        raise
    finally:
        cache.delete(_progress_key(job_id))
    return ImportJob.State.DONE


def error_report(job: ImportJob) -> bytes:
    """An XLSX of the rows that were not imported, with the original columns and the reasons."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "errors"
    sheet.append(["line", *COLUMNS, "errors"])
    for row in job.invalid_rows:
        append_row(sheet, [row["line"], *(row["data"].get(c, "") for c in COLUMNS), "; ".join(row["errors"])])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
