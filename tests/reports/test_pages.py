"""The dashboard page: who may open it, what each one sees, drill-down, exports, and its query count."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import policy
from accounts.models import Role
from core.errors import Refused
from reports import funnel, services
from reports.models import ExportJob
from reports.selectors import Filters
from tests.factories import make_application, make_finished, make_participants, make_staff

pytestmark = pytest.mark.django_db

URL = reverse("reports:dashboard")


@pytest.fixture
def data(district, neighbour, other_district, stream):
    """district: 2 finished the course, 1 waiting; neighbour (same region): 1 passed; another region: 2 waiting."""
    _apps, group = make_finished(district, stream, 2)
    make_application(district=district)
    make_participants(neighbour, stream, 1)
    make_application(district=other_district)
    make_application(district=other_district)
    funnel.refresh()
    return group


def total_of(page: str, stage: str) -> str:
    marker = 'data-testid="area-table-total"'
    tail = page[page.index(marker) :]
    cell = tail[tail.index(f'data-stage="{stage}">') + len(f'data-stage="{stage}">') :]
    return cell[: cell.index("<")]


def test_an_analyst_sees_the_country_by_region_and_drills_down(
    login, analyst, data, district, neighbour, other_district
):
    client = login(analyst)
    page = client.get(URL).text
    assert total_of(page, "applied") == "6"
    assert str(district.region) in page and str(other_district.region) in page
    assert f"?year=2026&amp;region={district.region_id}" in page  # the region's line drills into it

    page = client.get(URL, {"year": 2026, "region": district.region_id}).text
    assert total_of(page, "applied") == "4"
    assert str(district) in page and str(neighbour) in page
    assert f"district={district.pk}" in page

    page = client.get(URL, {"year": 2026, "district": district.pk}).text
    assert total_of(page, "in_training") == "2"
    assert data.name in page  # the district's training group


def test_the_page_says_how_old_the_figures_are(login, analyst, data):
    page = login(analyst).get(URL).text
    assert "Figures as of" in page and "rebuilt every 10 minutes" in page


def test_metrics_not_built_yet_show_a_dash(login, analyst, data):
    page = login(analyst).get(URL).text
    assert total_of(page, "loan_amount_approved") == "—"
    assert total_of(page, "businesses_opened") == "—"


def test_a_district_user_sees_only_their_district(login, district_user, data, district, other_district):
    client = login(district_user)
    page = client.get(URL).text
    assert total_of(page, "applied") == "3"
    assert str(other_district) not in page
    # Another district or region in the address is refused, not shown.
    assert client.get(URL, {"district": other_district.pk}).status_code == 200  # their own district wins
    assert total_of(client.get(URL, {"district": other_district.pk}).text, "applied") == "3"
    assert total_of(client.get(URL, {"region": other_district.region_id}).text, "applied") == "3"


def test_a_regional_user_sees_their_region_and_is_refused_another(login, regional, data, district, other_district):
    client = login(regional)
    page = client.get(URL).text
    assert total_of(page, "applied") == "4"
    assert str(other_district) not in page
    assert client.get(URL, {"district": other_district.pk}).status_code == 403
    assert client.get(URL, {"district": district.pk}).status_code == 200


def test_a_citizen_and_a_trainer_are_refused_by_the_page_and_the_service(login, data, district, citizen):
    trainer = make_staff(Role.TRAINER, district=district)
    for user in (citizen, trainer):
        assert not policy.can(user, "reports.view_dashboard")
        assert login(user).get(URL).status_code == 403
        assert login(user).get(reverse("reports:table_export", args=["areas", "csv"])).status_code == 403
        with pytest.raises(Refused):
            services.export_request(actor=user, kind="applications", file_format="csv", filters=Filters())


def test_the_navigation_offers_the_page_to_those_it_serves(login, analyst, district_user, district):
    assert "Programme figures" in login(analyst).get(reverse("portal:home")).text
    trainer = make_staff(Role.TRAINER, district=district)
    assert "Programme figures" not in login(trainer).get(reverse("portal:home")).text


def test_the_area_table_exports_to_xlsx_and_csv(login, analyst, data, district, neighbour):
    client = login(analyst)
    params = {"year": 2026, "region": district.region_id}
    response = client.get(reverse("reports:table_export", args=["areas", "xlsx"]), params)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[0] == "District" and header[1] == "Applied" and header[-1] == "Businesses opened per 100 graduates"
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name[str(district)][header.index("Applied")] == 3
    assert by_name[str(district)][header.index("In training")] == 2
    assert by_name[str(neighbour)][header.index("Passed the test")] == 1
    assert by_name["Total"][header.index("Applied")] == 4
    assert by_name["Total"][header.index("Amount approved, ₸")] == "—"

    response = client.get(reverse("reports:table_export", args=["streams", "csv"]), params)
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0][:3] == ["Stream", "Applied", "Eligible"]
    # The two who finished and the neighbour's participant came in the stream's window; the one waiting
    # applied after it closed, so they count in the year but in no stream.
    assert lines[1][:2] == [f"2026–{data.stream.number}", "3"]
    assert len(lines) == 2


def test_a_large_export_runs_as_a_job_that_only_its_owner_downloads(
    login, analyst, data, district, django_capture_on_commit_callbacks
):
    client = login(analyst)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:export_start"), {"format": "xlsx", "year": 2026, "region": district.region_id}
        )
    job = ExportJob.objects.get()
    assert response.url == reverse("reports:export_job", args=[job.code])
    assert job.state == ExportJob.State.DONE  # tasks run in-process in the tests
    assert (job.total_rows, job.processed_rows) == (4, 4)
    page = client.get(response.url).text
    assert 'data-testid="export-download"' in page
    download = client.get(reverse("reports:export_download", args=[job.code]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 5 and rows[0][0] == "Application"
    in_training = rows[0].index("In training")
    assert sum(1 for r in rows[1:] if r[in_training]) == 2

    other = make_staff(Role.ANALYST, national=True)
    assert login(other).get(reverse("reports:export_download", args=[job.code])).status_code == 404
    assert login(other).get(reverse("reports:export_job", args=[job.code])).status_code == 404


EXPORT_IN = {
    # the first seven header cells, and the status "submitted", in each language
    "kk": (
        ("Өтінім", "Жыл", "Лек", "Облыс", "Аудан", "Өтінім беру арнасы", "Қазіргі мәртебесі"),
        "Бағдарламаға сәйкестігі туралы шешім күтілуде",
    ),
    "ru": (
        ("Заявка", "Год", "Поток", "Область", "Район", "Канал подачи", "Текущий статус"),
        "Ожидает решения о соответствии требованиям",
    ),
}


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_per_application_export_is_written_in_the_language_it_was_asked_in(
    login, analyst, district, language, settings, django_capture_on_commit_callbacks
):
    """The worker has no request: the file's headers, places and statuses are in the asker's language
    all the same (here one who never chose a language on the account: the page's language counts)."""
    make_application(district=district)
    client = login(analyst)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:export_start"), {"format": "xlsx", "year": 2026})
    job = ExportJob.objects.get()
    download = client.get(reverse("reports:export_download", args=[job.code]))
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.values)
    headers, status = EXPORT_IN[language]
    assert rows[0][:7] == headers
    line = rows[1]
    # the factory names places "Облыс n"/"Аудан n" in Kazakh and "Область n"/"Район n" in Russian
    assert line[3] == getattr(district.region, f"name_{language}") and line[3].startswith(headers[3])
    assert line[4] == getattr(district, f"name_{language}") and line[4].startswith(headers[4])
    assert line[5] == "Онлайн" and line[6] == status


def test_the_progress_fragment_polls_while_the_job_works(login, analyst):
    job = ExportJob.objects.create(
        owner=analyst, kind="applications", file_format="csv", total_rows=10, processed_rows=5
    )
    client = login(analyst)
    fragment = client.get(reverse("reports:export_job", args=[job.code]), headers={"HX-Request": "true"}).text
    assert 'hx-trigger="every 1s"' in fragment and 'aria-valuenow="5"' in fragment and "progress-w-10" in fragment
    ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.State.DONE)
    fragment = client.get(reverse("reports:export_job", args=[job.code]), headers={"HX-Request": "true"}).text
    assert "hx-trigger" not in fragment


def count_queries(client, params=None) -> int:
    client.get(URL, params)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# The login session, the user, the user's organisation (the scope), the years with figures, the sums by
# stage, the sums by area, the areas' names, the sums by stream, the last refresh, the regions for the
# filter: 10 for the country.
COUNTRY_QUERIES = 10
# A district chosen: one more for the district with its region, the groups' names instead of the
# regions', and the region's districts for the filter: 12.
DISTRICT_QUERIES = 12


def test_the_page_makes_as_many_queries_for_many_applications_as_for_few(login, analyst, district, stream):
    make_finished(district, stream, 2)
    funnel.refresh()
    client = login(analyst)
    small_country, small_district = count_queries(client), count_queries(client, {"district": district.pk})

    for _ in range(3):
        make_finished(district, stream, 10, group_name=f"Group {_}")
    for _n in range(5):
        make_application(district=make_staff(Role.CHAMBER).organisation.district)
    funnel.refresh()
    big_country, big_district = count_queries(client), count_queries(client, {"district": district.pk})

    assert (small_country, small_district) == (big_country, big_district)
    assert (big_country, big_district) == (COUNTRY_QUERIES, DISTRICT_QUERIES)


def test_without_a_beat_the_dashboard_rebuilds_stale_figures_when_opened(login, analyst, data, district, settings):
    """`make run` has no beat: a move on the path since the last rebuild shows when the page opens."""
    settings.REPORTS_REFRESH_ON_READ = True
    client = login(analyst)
    assert total_of(client.get(URL).text, "applied") == "6"
    make_application(district=district)
    assert total_of(client.get(URL).text, "applied") == "7"
    assert total_of(client.get(URL).text, "applied") == "7"


def test_with_a_beat_the_page_reads_the_last_rebuild_only(login, analyst, data, district, settings):
    settings.REPORTS_REFRESH_ON_READ = False
    client = login(analyst)
    make_application(district=district)
    assert total_of(client.get(URL).text, "applied") == "6"  # until the beat's next rebuild
