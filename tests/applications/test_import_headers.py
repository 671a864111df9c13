"""A register may name its columns in Kazakh, Russian or English (issue 8), and the page offers an
empty register headed in the clerk's language."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from applications import imports
from applications.models import ImportJob
from tests.applications.test_import import register_row, upload

pytestmark = pytest.mark.django_db


def headed_in(language: str, rows: list[dict]) -> bytes:
    with translation.override(language):
        labels = {key: str(imports.COLUMN_LABELS[key]) for key in imports.COLUMNS}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([labels[key] for key in imports.COLUMNS])
    for row in rows:
        writer.writerow([row[key] for key in imports.COLUMNS])
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_register_headed_in_any_of_the_three_languages_is_read(
    language, login, centre_user, district, django_capture_on_commit_callbacks
):
    content = headed_in(language, [register_row(district), register_row(district)])
    assert "iin" not in content.decode().splitlines()[0]  # the labels, not the keys
    upload(login(centre_user), "register.csv", content, capture=django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.PREVIEW, job.error
    assert [row["errors"] for row in job.rows] == [[], []]


def test_the_template_is_headed_in_the_clerks_language(login, centre_user):
    client = login(centre_user)
    client.post(reverse("portal:set_language"), {"language": "ru"})
    response = client.get(reverse("applications:import_template"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    assert header[0] == "ИИН" and len(header) == len(imports.COLUMNS)
    with translation.override("ru"):
        assert header == [str(imports.COLUMN_LABELS[key]) for key in imports.COLUMNS]
