"""The dashboard's tables as CSV and XLSX, and the large export (one line per application) that a
Celery task builds with its progress on an ExportJob row.

The tables are small whatever the data (a line per region, district, group or stream), so they are
answered in the request. The per-application export grows with the data (150,000 lines a year at
national scale), so it is always a job (reports/tasks.py).
"""

import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator

import openpyxl
from django.db.models import Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import Scope
from applications.models import Application, Channel, Status
from core.downloads import append_row
from core.models import LANGUAGE_CODES, choice_label, pick_language
from reports.funnel import STAGES, year_of
from reports.selectors import Filters, Row

PROGRESS_EVERY = 2000


def _cell(value):
    return "—" if value is None else value


def table_lines(rows: Iterable[Row], total: Row | None, first_column: str) -> Iterator[list]:
    """The header and the lines of a funnel table, as the page shows it ("—": not known yet)."""
    yield [first_column, *(str(stage.label) for stage in STAGES), _("Businesses opened per 100 graduates")]
    for row in rows:
        yield [row.label, *(_cell(v) for _k, v in row.cells()), _cell(row.share_opened)]
    if total is not None:
        yield [_("Total"), *(_cell(v) for _k, v in total.cells()), _cell(total.share_opened)]


def to_csv(lines: Iterable[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for line in lines:
        # A cell starting with = + - @ would be run as a formula by a spreadsheet: quote it as text.
        writer.writerow(["'" + v if isinstance(v, str) and v[:1] in "=+-@" and v != "—" else v for v in line])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def to_xlsx(lines: Iterable[list], title: str) -> bytes:
    workbook = openpyxl.Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = title[:31]
    for line in lines:
        append_row(sheet, line)
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 36
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- The per-application export (a job) ---------------------------------------------------------

REACHED = [stage for stage in STAGES if not stage.provided]


def application_rows(scope: Scope, filters: Filters) -> QuerySet:
    """One aggregated line per application of the selection: where it is, and the date it reached each
    stage (the first time), computed in the database. No names, IINs or contacts: figures only.
    The region's and district's names come in every language: the line is written in the asker's."""
    applications = Application.objects.in_scope(scope).annotate(rep_year=year_of())
    if filters.year:
        applications = applications.filter(rep_year=filters.year)
    if filters.stream:
        applications = applications.filter(stream__number=filters.stream)
    if filters.district is not None:
        applications = applications.filter(district=filters.district)
    elif filters.region is not None:
        applications = applications.filter(region=filters.region)
    reached = {
        f"at_{stage.key}": Min("changes__at", filter=Q(changes__to_status__in=stage.statuses)) for stage in REACHED
    }
    return (
        applications.order_by("pk")
        .values(
            "pk",
            "number",
            "rep_year",
            "stream__number",
            *(f"{place}__name_{code}" for place in ("region", "district") for code in LANGUAGE_CODES),
            "channel",
            "status",
        )
        .annotate(**reached)
    )


def _application_header() -> list[str]:
    return [
        _("Application"),
        _("Year"),
        _("Stream"),
        _("Region"),
        _("District"),
        _("Channel"),
        _("Status now"),
        *(str(stage.label) for stage in REACHED),
    ]


def _application_line(row: dict) -> list:
    """A line in the active language: places by their name in it, the channel and status by their label."""

    def day(value):
        return timezone.localtime(value).date().isoformat() if value else ""

    def place(kind):
        return pick_language({code: row[f"{kind}__name_{code}"] for code in LANGUAGE_CODES})

    return [
        row["number"] or "",
        row["rep_year"],
        row["stream__number"] or "",
        place("region"),
        place("district"),
        choice_label(Channel, row["channel"]),
        choice_label(Status, row["status"]),
        *(day(row[f"at_{stage.key}"]) for stage in REACHED),
    ]


def write_applications(
    queryset: QuerySet, file_format: str, progress: Callable[[int], None]
) -> tempfile.SpooledTemporaryFile:
    """Write the export to a temporary file, streaming the rows; `progress(done)` every few thousand."""
    target = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115  the caller saves and closes it
    done = 0
    if file_format == "csv":
        text = io.TextIOWrapper(target, encoding="utf-8-sig", newline="", write_through=True)
        writer = csv.writer(text)
        writer.writerow(_application_header())
        for row in queryset.iterator(chunk_size=PROGRESS_EVERY):
            writer.writerow(_application_line(row))
            done += 1
            if done % PROGRESS_EVERY == 0:
                progress(done)
        text.flush()
        text.detach()
    else:
        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet(_("Applications")[:31])
        sheet.append(_application_header())
        for row in queryset.iterator(chunk_size=PROGRESS_EVERY):
            sheet.append(_application_line(row))  # numbers, dates and codes only: nothing to run
            done += 1
            if done % PROGRESS_EVERY == 0:
                progress(done)
        workbook.save(target)
    progress(done)
    target.seek(0)
    return target
