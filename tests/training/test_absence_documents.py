"""A document for an excused absence: attached by the trainer or the Chamber, its type read from the
content, its size bounded, stored under a name the server picks, served only through a view to the
group's trainer, the district's Chamber and the area's commission once a case lists the day."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from core.errors import NotFound, Refused
from tests.factories import make_participants, make_staff
from tests.training.helpers import make_group, put
from tests.training.test_attendance_pages import GRID_QUERIES
from training import services
from training.models import (
    AbsenceDocument,
    AbsenceDocumentDownload,
    AttendanceChange,
    AttendanceMark,
    ExcuseReason,
    ExpulsionCase,
    MarkKind,
)

pytestmark = pytest.mark.django_db

MID_COURSE = datetime.datetime(2026, 12, 21, 4, 0, tzinfo=datetime.UTC)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(MID_COURSE, tick=False):
        yield


@pytest.fixture
def group(chamber_user, stream, modules, trainer, district):
    group = make_group(chamber_user, stream, "Group A", trainers=[trainer])
    put(chamber_user, group, make_participants(district, stream, 2))
    return group


@pytest.fixture
def member(group):
    return group.memberships.current().order_by("pk").first()


@pytest.fixture
def past_day(group):
    return group.days.order_by("date").first()


def upload(content=PDF, name="справка.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def excuse(actor, group, member, day):
    return services.attendance_mark(
        actor=actor,
        group_id=group.pk,
        membership_id=member.pk,
        day_id=day.pk,
        kind=MarkKind.EXCUSED,
        reason_code=ExcuseReason.ILLNESS,
        reason_text="Ауырды",
    )


def attach(actor, group, member, day, file=None):
    return services.absence_document_attach(
        actor=actor, group_id=group.pk, membership_id=member.pk, day_id=day.pk, upload=file or upload()
    )


def file_errors(exc: pytest.ExceptionInfo) -> list[str]:
    return exc.value.message_dict["file"]


# --- The service ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("content", "suffix"), [(PDF, "pdf"), (PNG, "png"), (JPEG, "jpg")])
def test_a_trainer_attaches_a_document_to_an_excused_absence(trainer, group, member, past_day, content, suffix):
    mark = excuse(trainer, group, member, past_day)
    document = attach(trainer, group, member, past_day, upload(content, "Сапарова анықтама.exe"))

    mark.refresh_from_db()
    assert mark.document == document and mark.version == 2
    # Stored under a name the server picked, the extension from the content, never the client's name.
    assert document.file.name.startswith(f"attendance/{group.code}/")
    assert document.file.name.endswith(f".{suffix}") and "Сапарова" not in document.file.name
    assert document.download_name == f"Сапарова анықтама.{suffix}"
    assert document.file.read() == content
    # The history says a document was attached, the mark itself unchanged.
    change = AttendanceChange.objects.filter(mark=mark).last()
    assert change.document == document and change.version == 2
    assert change.old_kind == change.new_kind == MarkKind.EXCUSED
    assert "Сапарова анықтама.exe" in change.reason


def test_the_chamber_of_the_district_attaches_one_too_and_a_new_one_replaces_the_old(
    trainer, chamber_user, group, member, past_day
):
    excuse(trainer, group, member, past_day)
    first = attach(trainer, group, member, past_day)
    second = attach(chamber_user, group, member, past_day, upload(PNG, "scan.png"))
    mark = AttendanceMark.objects.get()
    assert mark.document == second
    assert list(mark.documents.order_by("pk")) == [first, second]  # the replaced one is kept
    assert AttendanceChange.objects.filter(document__isnull=False).count() == 2


def test_a_file_that_is_not_a_photo_or_a_pdf_is_refused_on_the_field(trainer, group, member, past_day):
    excuse(trainer, group, member, past_day)
    with pytest.raises(ValidationError) as exc:
        attach(trainer, group, member, past_day, upload(b"MZ\x90\x00 not a pdf", "note.pdf"))
    assert file_errors(exc) == ["Attach a photo (JPEG or PNG) or a PDF."]
    assert not AbsenceDocument.objects.exists()
    assert AttendanceMark.objects.get().version == 1


def test_a_file_over_the_size_limit_is_refused_on_the_field(settings, trainer, group, member, past_day):
    excuse(trainer, group, member, past_day)
    assert settings.ABSENCE_DOCUMENT_MAX_BYTES == 5 * 1024 * 1024
    attach(trainer, group, member, past_day, upload(PDF + b"0" * (5 * 1024 * 1024 - len(PDF))))  # exactly 5 MB
    with pytest.raises(ValidationError) as exc:
        attach(trainer, group, member, past_day, upload(PDF + b"0" * (5 * 1024 * 1024 - len(PDF) + 1)))
    assert file_errors(exc) == ["The file is larger than 5 MB."]
    assert AbsenceDocument.objects.count() == 1


@pytest.mark.parametrize("kind", [MarkKind.PRESENT, MarkKind.LATE, MarkKind.UNEXCUSED, None])
def test_a_document_is_refused_for_a_mark_that_is_not_an_excused_absence(trainer, group, member, past_day, kind):
    if kind is not None:
        services.attendance_mark(
            actor=trainer, group_id=group.pk, membership_id=member.pk, day_id=past_day.pk, kind=kind
        )
    with pytest.raises(ValidationError) as exc:
        attach(trainer, group, member, past_day)
    assert file_errors(exc) == ["A document is attached only to an absence with a valid reason."]
    assert not AbsenceDocument.objects.exists()


def test_a_day_to_come_is_refused(trainer, group, member):
    future = group.days.order_by("date").last()
    with pytest.raises(ValidationError) as exc:
        attach(trainer, group, member, future)
    assert "day" in exc.value.message_dict


def test_another_trainer_and_another_district_are_refused_by_the_service(
    trainer, district, other_district, group, member, past_day
):
    excuse(trainer, group, member, past_day)
    with pytest.raises(NotFound):  # a trainer of the district, not of this group: the group is not theirs to see
        attach(make_staff(Role.TRAINER, district=district), group, member, past_day)
    with pytest.raises(NotFound):
        attach(make_staff(Role.CHAMBER, district=other_district), group, member, past_day)
    with pytest.raises(Refused):  # the centre sees the district but does not mark attendance
        attach(make_staff(Role.EMPLOYMENT_CENTRE, district=district), group, member, past_day)
    assert not AbsenceDocument.objects.exists()


def test_a_mark_that_stops_being_excused_loses_its_document_and_the_history_keeps_it(trainer, group, member, past_day):
    excuse(trainer, group, member, past_day)
    document = attach(trainer, group, member, past_day)
    services.attendance_mark(
        actor=trainer,
        group_id=group.pk,
        membership_id=member.pk,
        day_id=past_day.pk,
        kind=MarkKind.PRESENT,
        change_reason="Was there after all",
    )
    mark = AttendanceMark.objects.get()
    assert mark.document is None
    assert AbsenceDocument.objects.get() == document
    assert AttendanceChange.objects.get(document__isnull=False).document == document


def test_the_expulsion_case_lists_which_missed_days_have_a_document(trainer, group, member):
    days = list(group.days.order_by("date")[:5])
    for day in days[:4]:  # the 4th missed day (limit 3) opens the case
        excuse(trainer, group, member, day)
    case = ExpulsionCase.objects.get(state=ExpulsionCase.State.OPEN)
    assert [d["document"] for d in case.missed_days] == ["", "", "", ""]

    document = attach(trainer, group, member, days[1])
    case.refresh_from_db()
    assert [d["document"] for d in case.missed_days] == ["", str(document.code), "", ""]
    assert case.missed_days[1]["date"] == days[1].date.isoformat()


# --- Pages -----------------------------------------------------------------------------------------


def doc_page(group, member, day):
    return reverse("training:absence_document", args=[group.code, member.pk, day.pk])


def file_url(document):
    return reverse("training:absence_document_file", args=[document.code])


def test_the_page_attaches_the_document_and_goes_back_to_the_day(login, trainer, group, member, past_day):
    excuse(trainer, group, member, past_day)
    client = login(trainer)
    response = client.get(doc_page(group, member, past_day))
    assert response.status_code == 200 and 'type="file"' in response.text
    response = client.post(doc_page(group, member, past_day), {"file": upload()})
    assert response.status_code == 302
    assert response["Location"].endswith(f"?day={past_day.date.isoformat()}")
    document = AbsenceDocument.objects.get()
    # The day view shows the cell with its document, and the document page links to the file.
    page = client.get(reverse("training:attendance", args=[group.code]) + f"?day={past_day.date.isoformat()}").text
    assert 'data-testid="doc-link" data-attached="1"' in page
    assert file_url(document) in client.get(doc_page(group, member, past_day)).text


@pytest.mark.parametrize(
    ("kind", "content", "message"),
    [
        (MarkKind.EXCUSED, b"GIF89a not accepted", "Attach a photo (JPEG or PNG) or a PDF."),
        (MarkKind.EXCUSED, PDF + b"0" * (5 * 1024 * 1024), "The file is larger than 5 MB."),
        (MarkKind.PRESENT, PDF, "A document is attached only to an absence with a valid reason."),
    ],
)
def test_each_refusal_is_shown_on_the_file_field(login, trainer, group, member, past_day, kind, content, message):
    if kind == MarkKind.EXCUSED:
        excuse(trainer, group, member, past_day)
    else:
        services.attendance_mark(
            actor=trainer, group_id=group.pk, membership_id=member.pk, day_id=past_day.pk, kind=kind
        )
    response = login(trainer).post(doc_page(group, member, past_day), {"file": upload(content)})
    assert response.status_code == 400
    assert response.context["form"].errors == {"file": [message]}
    assert 'id="error_1_id_file"' in response.text  # crispy's message under the field
    assert not AbsenceDocument.objects.exists()


@pytest.fixture
def document(trainer, group, member, past_day):
    excuse(trainer, group, member, past_day)
    return attach(trainer, group, member, past_day)


def test_the_file_is_served_to_the_trainer_and_the_chamber_and_each_opening_recorded(
    login, trainer, chamber_user, document
):
    for user in (trainer, chamber_user):
        response = login(user).get(file_url(document))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment")
        assert "no-store" in response["Cache-Control"]
        assert b"".join(response.streaming_content) == PDF
    assert list(AbsenceDocumentDownload.objects.order_by("pk").values_list("user", flat=True)) == [
        trainer.pk,
        chamber_user.pk,
    ]


def test_the_file_is_never_served_from_the_media_url(client, document):
    assert client.get(f"/media/{document.file.name}").status_code == 404


@pytest.mark.parametrize(
    ("role", "where", "status"),
    [
        (Role.TRAINER, "other", 404),  # another district's trainer
        (Role.CHAMBER, "other", 404),
        (Role.COMMISSION, "other", 404),
        (Role.TRAINER, "same", 403),  # the district's other trainer: not this group's
        (Role.EMPLOYMENT_CENTRE, "same", 403),
        (Role.ANALYST, "same", 403),
        (Role.COMMISSION, "same", 403),  # no expulsion case lists the day
    ],
)
def test_the_file_is_refused_outside_its_readers(login, district, other_district, document, role, where, status):
    user = make_staff(role, district=district if where == "same" else other_district)
    response = login(user).get(file_url(document))
    assert response.status_code == status
    assert not AbsenceDocumentDownload.objects.exists()


def test_the_participant_and_a_visitor_do_not_get_the_file(login, client, member, document):
    assert client.get(file_url(document)).status_code == 302  # to the login page
    assert login(member.application.applicant).get(file_url(document)).status_code == 404


def test_the_commission_opens_the_file_once_an_expulsion_case_lists_the_day(
    login, trainer, district, group, member, past_day, document
):
    commission = make_staff(Role.COMMISSION, district=district)
    client = login(commission)
    assert client.get(file_url(document)).status_code == 403
    for day in group.days.order_by("date")[1:4]:  # three more missed days: the 4th opens the case
        excuse(trainer, group, member, day)
    assert ExpulsionCase.objects.filter(state=ExpulsionCase.State.OPEN).exists()
    assert client.get(file_url(document)).status_code == 200
    regional = make_staff(Role.COMMISSION, region=district.region)
    assert login(regional).get(file_url(document)).status_code == 200


def test_the_document_page_is_refused_outside_the_group(login, district, other_district, group, member, past_day):
    excuse(group.trainers.get(), group, member, past_day)
    for user in (make_staff(Role.TRAINER, district=other_district), make_staff(Role.TRAINER, district=district)):
        client = login(user)
        assert client.get(doc_page(group, member, past_day)).status_code == 404
        assert client.post(doc_page(group, member, past_day), {"file": upload()}).status_code == 404
    assert not AbsenceDocument.objects.exists()


def test_the_grid_with_documents_costs_the_same_queries(login, trainer, group, district, stream, chamber_user):
    members = list(group.memberships.current())
    days = list(group.days.filter(date__lt=MID_COURSE.date()).order_by("date")[:2])
    for member in members:
        for day in days:
            excuse(trainer, group, member, day)
            attach(trainer, group, member, day)
    client = login(trainer)
    url = reverse("training:attendance", args=[group.code])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url).text
    assert len(ctx.captured_queries) == GRID_QUERIES
    assert page.count('data-attached="1"') == len(members) * len(days)


def test_the_admin_shows_the_cases_days_with_their_documents_read_only(admin_client, trainer, group, member):
    days = list(group.days.order_by("date")[:4])
    for day in days:
        excuse(trainer, group, member, day)
    attach(trainer, group, member, days[0])
    case = ExpulsionCase.objects.get()
    page = admin_client.get(reverse("admin:training_expulsioncase_change", args=[case.pk])).text
    assert page.count("document attached") == 1 and page.count("no document") == 3
    document = AbsenceDocument.objects.get()
    page = admin_client.get(reverse("admin:training_absencedocument_change", args=[document.pk])).text
    assert "/media/" not in page  # the file is opened through the portal's view only


# Attaching, query by query (savepoints aside): 1 the login session, 2 the user, 3 the organisation,
# 4 the group as the user sees it, 5 the place, 6 the day, 7 "may attach" (is the user a trainer of the
# group); the service: 8 the group with its stream, 9 its trainers (the rule), 10 the day, 11 the place
# with its application, 12 the application locked, 13 the cell locked, 14 the document row, 15 the cell
# saved, 16 the history row; the absence rule: 17 the participant's missed days with their documents,
# 18 an open case.
ATTACH_QUERIES = 18


def test_attaching_a_document_costs_a_fixed_handful_of_queries(login, trainer, group, member, past_day):
    excuse(trainer, group, member, past_day)
    client = login(trainer)
    client.get(doc_page(group, member, past_day))
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(doc_page(group, member, past_day), {"file": upload()})
    assert response.status_code == 302
    real = [q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(real) == ATTACH_QUERIES, "\n".join(q["sql"][:110] for q in real)


def test_an_analyst_reads_the_page_without_the_form_or_links_and_cannot_post(login, district, document, group):
    mark = document.mark
    analyst = make_staff(Role.ANALYST, district=district)
    client = login(analyst)
    url = doc_page(group, mark.membership, mark.day)
    page = client.get(url)
    assert page.status_code == 200
    assert document.original_name in page.text
    assert file_url(document) not in page.text and 'type="file"' not in page.text
    assert client.post(url, {"file": upload()}).status_code == 403
    assert AbsenceDocument.objects.count() == 1
