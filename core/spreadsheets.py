"""Reading CSV and XLSX uploads: streamed, bounded before and while they are read.

Used by every import of the portal (registers of applicants, paper test scores). The bounds are
what an upload may cost a worker (a 287 KB XLSX of 2,000,000 rows once held one for 31 s): the
file's size, the XLSX's uncompressed size (from the zip's directory, before it is opened), and the
rows, counted while streaming.
"""

import csv
import datetime
import io
import zipfile
from collections.abc import Iterator

import openpyxl
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ROWS = 5000
IMPORT_MAX_BYTES = 5 * 1024 * 1024
XLSX_MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
XLSX_MAX_MEMBERS = 200
MAX_SCANNED_LINES = MAX_ROWS * 2  # blank lines count too: a sheet of empty rows is no cheaper


def check_upload_size(upload) -> None:
    if upload.size > IMPORT_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(size)s MB: split the register into smaller files.")
            % {"size": IMPORT_MAX_BYTES // (1024 * 1024)}
        )


def _check_xlsx_zip(content: bytes) -> None:
    """Refuse a zip bomb from the zip's central directory alone, before openpyxl opens it."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise ValidationError(_("The file is not a readable XLSX workbook.")) from None
    if len(members) > XLSX_MAX_MEMBERS or sum(m.file_size for m in members) > XLSX_MAX_UNCOMPRESSED_BYTES:
        raise ValidationError(
            _("The workbook unpacks to more than %(size)s MB: save the register without other sheets or images.")
            % {"size": XLSX_MAX_UNCOMPRESSED_BYTES // (1024 * 1024)}
        )


def _lines(name: str, content: bytes) -> Iterator[list]:
    """The file's lines as lists of cells, streamed: an XLSX row by row (read-only mode), a CSV
    line by line. Raises ValidationError on a file that cannot be read."""
    if name.lower().endswith(".xlsx"):
        _check_xlsx_zip(content)
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            rows = workbook.active.iter_rows(values_only=True)
            while True:
                try:
                    row = next(rows)
                except StopIteration:
                    break
                yield ["" if v is None else v for v in row]
        except ValidationError:
            raise
        except Exception:
            raise ValidationError(_("The file is not a readable XLSX workbook.")) from None
    elif name.lower().endswith(".csv"):
        text = io.TextIOWrapper(io.BytesIO(content), encoding="utf-8-sig", newline="")
        try:
            # The delimiter is whichever of , ; or tab the header line uses most (Excel saves ; in some locales).
            first_line = text.readline()
            delimiter = max(",;\t", key=first_line.count)
            text.seek(0)
            yield from csv.reader(text, delimiter=delimiter)
        except UnicodeDecodeError:
            raise ValidationError(_("Save the CSV file in UTF-8.")) from None
        except csv.Error as exc:
            raise ValidationError(_("The CSV file cannot be read: %(error)s.") % {"error": exc}) from None
    else:
        raise ValidationError(_("Upload a .csv or .xlsx file."))


def normalise(label) -> str:
    """A header cell as it is compared: trimmed, lower-case, inner spaces single."""
    return " ".join(str(label).split()).lower()


def _header(values: list, required: set[str], aliases: dict[str, str] | None = None) -> list[str]:
    """The column keys of the first row; a header may be a key or any alias of one (its label in
    another language, say)."""
    aliases = aliases or {}
    header = [aliases.get(normalise(h), normalise(h)) for h in values]
    missing = required - set(header)
    if missing:
        raise ValidationError(
            _("Columns missing from the first row: %(columns)s.") % {"columns": ", ".join(sorted(missing))}
        )
    return header


def read_header(name: str, content: bytes, required: set[str], aliases: dict[str, str] | None = None) -> list[str]:
    """Only the first row, checked for the required columns: what the request may afford to read."""
    lines = _lines(name, content)
    try:
        first = next(lines, None)
    finally:
        lines.close()
    if first is None:
        raise ValidationError(_("The file is empty."))
    return _header(first, required, aliases)


def read_rows(
    name: str, content: bytes, required: set[str], aliases: dict[str, str] | None = None
) -> list[dict[str, str]]:
    """The rows of a CSV or XLSX file as {column: text}, header names lower-cased.

    Streams the file and stops as soon as it passes MAX_ROWS rows (or MAX_SCANNED_LINES lines,
    blank ones included). Raises ValidationError on an unreadable or too long file, or when a
    `required` column is missing."""
    lines = _lines(name, content)
    try:
        first = next(lines, None)
        if first is None:
            raise ValidationError(_("The file is empty."))
        header = _header(first, required, aliases)
        rows = []
        for scanned, values_row in enumerate(lines, start=1):
            if scanned > MAX_SCANNED_LINES:
                raise ValidationError(_("At most %(max)s rows per file.") % {"max": MAX_ROWS})
            if not any(str(v).strip() for v in values_row):
                continue
            rows.append({key: _text(values_row[i]) if i < len(values_row) else "" for i, key in enumerate(header)})
            if len(rows) > MAX_ROWS:
                raise ValidationError(_("At most %(max)s rows per file.") % {"max": MAX_ROWS})
        return rows
    finally:
        lines.close()


def _text(value) -> str:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
