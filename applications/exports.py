"""Printable and spreadsheet forms of the lists handed to the Chamber."""

import io

import openpyxl
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.downloads import append_row
from core.pdf import render_pdf


def list_xlsx(applicant_list, rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = f"list-{applicant_list.number}"
    sheet.append(
        [
            _("No."),
            _("Application"),
            _("Surname"),
            _("First name"),
            _("Patronymic"),
            _("IIN"),
            _("Date of birth"),
            _("Phone"),
            _("E-mail"),
            _("District"),
            _("Employment status"),
            _("Sector"),
            _("Business idea"),
        ]
    )
    for index, row in enumerate(rows, start=1):
        append_row(
            sheet,
            [
                index,
                row.number,
                row.last_name,
                row.first_name,
                row.patronymic,
                row.iin,
                row.birth_date,
                str(row.phone),
                row.email,
                str(row.district),
                row.get_employment_status_display(),
                row.get_sector_display(),
                row.business_idea,
            ],
        )
    for column, width in zip("ABCDEFGHIJKLM", (5, 12, 18, 16, 18, 14, 12, 16, 24, 24, 18, 22, 50), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def list_pdf(applicant_list, rows) -> bytes:
    return render_pdf(
        "applications/pdf/list.html", {"list": applicant_list, "rows": list(rows), "LANGUAGE_CODE": get_language()}
    )
