"""The attendance grid and its cells over HTTP: fixed queries, htmx cells, replays, scoping, export."""

import datetime
import io
import uuid

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from tests.factories import make_participants, make_staff
from tests.training.helpers import make_group, put
from training import services
from training.models import AttendanceChange, AttendanceMark, MarkKind

pytestmark = pytest.mark.django_db

MID_COURSE = datetime.datetime(2026, 12, 21, 4, 0, tzinfo=datetime.UTC)

# The grid, query by query, whatever the number of participants and days:
#  1 the login session, 2 the user, 3 the user's organisation (their scope),
#  4 the group with its stream and district, 5 its trainers (the rule "trains the group" reads them),
#  6 its current members with their applications, 7 its teaching days with their modules,
#  8 every mark of the group (one query on the denormalised group column).
GRID_QUERIES = 8
# One cell posted with its key (as attendance.js sends it), savepoints aside:
#  1 the login session, 2 the user, 3 the organisation, 4 the group as the user sees it (view);
#  the service: 5 the group with its stream, 6 its trainers (the rule), 7 the day, 8 the place with
#  its application, 9 the application locked, 10 the key looked up under the lock, 11 the cell
#  locked, 12 the mark saved, 13 the history row; the absence rule: 14 the participant's missed
#  days, 15 an open case.
CELL_QUERIES = 15


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(MID_COURSE, tick=False):
        yield


@pytest.fixture
def group(chamber_user, stream, modules, trainer):
    return make_group(chamber_user, stream, "Group A", trainers=[trainer])


def fill(trainer, group, members):
    """Mark every past day of every member, so the page has marks to show."""
    for day in group.days.filter(date__lte=MID_COURSE.date()):
        services.attendance_mark_day_present(actor=trainer, group_id=group.pk, day_id=day.pk)


def grid_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.text


def test_the_grid_costs_the_same_queries_for_5_and_30_participants_over_25_days(
    login, trainer, chamber_user, district, stream, group
):
    client = login(trainer)
    url = reverse("training:attendance", args=[group.code])
    put(chamber_user, group, make_participants(district, stream, 5))
    fill(trainer, group, None)
    for_5, page = grid_queries(client, url)
    assert page.count('data-testid="att-row"') == 5
    assert page.count('data-testid="cell"') == 5 * 25

    put(chamber_user, group, make_participants(district, stream, 25))
    fill(trainer, group, None)
    for_30, page = grid_queries(client, url)
    assert page.count('data-testid="att-row"') == 30
    assert page.count('data-testid="cell"') == 30 * 25
    assert for_5 == for_30 == GRID_QUERIES
    assert page.count("att-today") >= 1


def test_the_day_view_shows_one_column(login, trainer, chamber_user, district, stream, group):
    put(chamber_user, group, make_participants(district, stream, 3))
    today = group.days.get(date=MID_COURSE.date())
    client = login(trainer)
    count, page = grid_queries(
        client, reverse("training:attendance", args=[group.code]) + f"?day={today.date.isoformat()}"
    )
    assert page.count('data-testid="cell"') == 3
    assert "form-select-lg" in page
    assert count == GRID_QUERIES


def post_cell(client, group, member, day, kind, **extra):
    return client.post(
        reverse("training:attendance_mark", args=[group.code]),
        {"membership": member.pk, "day": day.pk, "kind": kind, **extra},
        HTTP_HX_REQUEST="true",
    )


def test_one_cell_is_posted_and_answered_with_that_cell_in_a_handful_of_queries(
    login, trainer, chamber_user, district, stream, group
):
    put(chamber_user, group, make_participants(district, stream, 2))
    members = list(group.memberships.current().order_by("pk"))
    day = group.days.get(date=MID_COURSE.date())
    client = login(trainer)
    yesterday = group.days.filter(date__lt=day.date).last()
    post_cell(client, group, members[0], yesterday, MarkKind.PRESENT)  # their course has started: no path move below
    with CaptureQueriesContext(connection) as ctx:
        response = post_cell(
            client, group, members[0], day, MarkKind.LATE, expected_version=0, client_id=str(uuid.uuid4())
        )
    assert response.status_code == 200
    assert response.text.strip().startswith(f'<td id="cell-{members[0].pk}-{day.pk}"')
    assert 'data-kind="late"' in response.text
    # Savepoints aside (the service's transaction), the queries are the ones listed at CELL_QUERIES.
    real = [q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(real) == CELL_QUERIES, "\n".join(q["sql"][:110] for q in real)


def test_a_stale_cell_answers_409_with_the_cell_as_it_is(login, trainer, chamber_user, district, stream, group):
    put(chamber_user, group, make_participants(district, stream, 1))
    member = group.memberships.current().get()
    day = group.days.get(date=MID_COURSE.date())
    client = login(trainer)
    post_cell(client, group, member, day, MarkKind.UNEXCUSED, expected_version=0)
    response = post_cell(client, group, member, day, MarkKind.PRESENT, expected_version=0)
    assert response.status_code == 409
    assert 'data-kind="absent_unexcused"' in response.text and "cell-error" in response.text


def test_an_excused_absence_with_its_reason_and_a_past_change_with_the_prompt(
    login, trainer, chamber_user, district, stream, group
):
    put(chamber_user, group, make_participants(district, stream, 1))
    member = group.memberships.current().get()
    past = group.days.order_by("date").first()
    client = login(trainer)
    assert post_cell(client, group, member, past, "absent_excused:illness").status_code == 200
    assert AttendanceMark.objects.get().reason_code == "illness"
    assert post_cell(client, group, member, past, MarkKind.PRESENT).status_code == 400
    response = client.post(
        reverse("training:attendance_mark", args=[group.code]),
        {"membership": member.pk, "day": past.pk, "kind": MarkKind.PRESENT},
        HTTP_HX_REQUEST="true",
        HTTP_HX_PROMPT="Brought a certificate; was present in the afternoon",
    )
    assert response.status_code == 200
    assert AttendanceChange.objects.last().reason.startswith("Brought a certificate")


def test_an_offline_mark_replayed_twice_is_stored_once(login, trainer, chamber_user, district, stream, group):
    put(chamber_user, group, make_participants(district, stream, 1))
    member = group.memberships.current().get()
    day = group.days.get(date=MID_COURSE.date())
    client = login(trainer)
    key = str(uuid.uuid4())
    for _ in range(2):
        response = post_cell(client, group, member, day, MarkKind.LATE, expected_version=0, client_id=key)
        assert response.status_code == 200
    assert AttendanceMark.objects.count() == 1 and AttendanceChange.objects.count() == 1


def test_a_future_day_is_refused_over_http(login, trainer, chamber_user, district, stream, group):
    put(chamber_user, group, make_participants(district, stream, 1))
    member = group.memberships.current().get()
    future = group.days.order_by("date").last()
    response = post_cell(login(trainer), group, member, future, MarkKind.PRESENT)
    assert response.status_code == 400
    assert not AttendanceMark.objects.exists()


def test_another_trainer_can_neither_read_nor_mark_the_group(login, district, chamber_user, stream, group):
    put(chamber_user, group, make_participants(district, stream, 1))
    member = group.memberships.current().get()
    day = group.days.get(date=MID_COURSE.date())
    client = login(make_staff(Role.TRAINER, district=district))
    assert client.get(reverse("training:attendance", args=[group.code])).status_code == 404
    assert client.get(reverse("training:register_xlsx", args=[group.code])).status_code == 404
    assert post_cell(client, group, member, day, MarkKind.PRESENT).status_code == 404
    assert not AttendanceMark.objects.exists()


def test_everyone_present_and_the_register_export(login, trainer, chamber_user, district, stream, group):
    put(chamber_user, group, make_participants(district, stream, 2))
    day = group.days.order_by("date").first()
    client = login(trainer)
    response = client.post(reverse("training:attendance_present", args=[group.code]), {"day": day.pk})
    assert response.status_code == 302
    assert AttendanceMark.objects.filter(kind=MarkKind.PRESENT).count() == 2
    response = login(chamber_user).get(reverse("training:register_xlsx", args=[group.code]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][3] == "✓" and rows[2][3] == "✓"
    assert len(rows[0]) == 3 + 25 + 1


def test_the_participant_sees_their_marks_and_the_warning_then_the_case(
    login, trainer, chamber_user, district, stream, group
):
    put(chamber_user, group, make_participants(district, stream, 1))
    member = group.memberships.current().select_related("application__applicant").get()
    days = list(group.days.order_by("date")[:4])
    for day in days[:3]:
        services.attendance_mark(
            actor=trainer, group_id=group.pk, membership_id=member.pk, day_id=day.pk, kind=MarkKind.UNEXCUSED
        )
    client = login(member.application.applicant)
    url = reverse("applications:status", args=[member.application.code])
    page = client.get(url).text
    assert 'data-testid="absence-warning"' in page
    assert "absent, no reason" in page
    services.attendance_mark(
        actor=trainer,
        group_id=group.pk,
        membership_id=member.pk,
        day_id=days[3].pk,
        kind=MarkKind.EXCUSED,
        reason_code="illness",
    )
    page = client.get(url).text
    assert 'data-testid="absence-case"' in page and 'data-testid="absence-warning"' not in page


def test_the_chambers_group_page_shows_the_rate_and_who_is_at_risk(
    login, trainer, chamber_user, district, stream, group
):
    put(chamber_user, group, make_participants(district, stream, 2))
    members = list(group.memberships.current().order_by("pk"))
    days = list(group.days.order_by("date")[:4])
    for day in days[:3]:
        services.attendance_mark(
            actor=trainer, group_id=group.pk, membership_id=members[0].pk, day_id=day.pk, kind=MarkKind.UNEXCUSED
        )
    for day in days:
        services.attendance_mark(
            actor=trainer, group_id=group.pk, membership_id=members[1].pk, day_id=day.pk, kind=MarkKind.PRESENT
        )
    page = login(chamber_user).get(reverse("training:group", args=[group.code])).text
    assert "57 %" in page  # 4 attended of 7 marks
    assert page.count('data-testid="at-risk"') == 1
