"""Attendance marks, the absence rule, its expulsion cases, idempotent and concurrent marks, scoping."""

import datetime
import uuid

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Role
from applications.models import Status, StatusChange
from core.errors import Conflict, NotFound, Refused
from core.models import OutboxMessage
from tests.factories import make_participants, make_staff
from tests.training.helpers import make_group, put
from training import services
from training.models import AbsenceWarning, AttendanceChange, AttendanceMark, ExpulsionCase, MarkKind

pytestmark = pytest.mark.django_db

MID_COURSE = datetime.datetime(2026, 12, 21, 4, 0, tzinfo=datetime.UTC)  # Monday of the third week


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(MID_COURSE, tick=False):
        yield


@pytest.fixture
def group(chamber_user, stream, modules, trainer):
    return make_group(chamber_user, stream, "Group A", trainers=[trainer])


@pytest.fixture
def members(chamber_user, district, stream, group):
    put(chamber_user, group, make_participants(district, stream, 2))
    return list(group.memberships.current().select_related("application").order_by("application_id"))


def past_days(group):
    return [d for d in group.days.order_by("date") if d.date < MID_COURSE.date()]


def mark(trainer, group, member, day, kind=MarkKind.PRESENT, **kwargs):
    return services.attendance_mark(
        actor=trainer, group_id=group.pk, membership_id=member.pk, day_id=day.pk, kind=kind, **kwargs
    )


def status_of(member):
    member.application.refresh_from_db()
    return member.application.status


@pytest.mark.parametrize("kind", [MarkKind.PRESENT, MarkKind.LATE, MarkKind.UNEXCUSED])
def test_every_mark_kind_is_saved_with_its_history_and_starts_the_course(trainer, group, members, kind):
    day = past_days(group)[0]
    saved = mark(trainer, group, members[0], day, kind)
    assert (saved.kind, saved.version, saved.group_id, saved.district_id) == (kind, 1, group.pk, group.district_id)
    change = AttendanceChange.objects.get(mark=saved)
    assert (change.old_kind, change.new_kind, change.actor) == ("", kind, trainer)
    assert status_of(members[0]) == Status.IN_TRAINING
    assert StatusChange.objects.filter(application=members[0].application, move="training.start").count() == 1


def test_an_excused_absence_needs_a_reason_from_the_list(trainer, group, members):
    day = past_days(group)[0]
    with pytest.raises(ValidationError) as exc:
        mark(trainer, group, members[0], day, MarkKind.EXCUSED)
    assert "reason_code" in exc.value.error_dict
    saved = mark(trainer, group, members[0], day, MarkKind.EXCUSED, reason_code="illness", reason_text=" Flu ")
    assert (saved.reason_code, saved.reason_text) == ("illness", "Flu")


def test_future_days_are_refused(trainer, group, members):
    future = group.days.filter(date__gt=MID_COURSE.date()).first()
    with pytest.raises(ValidationError) as exc:
        mark(trainer, group, members[0], future)
    assert "day" in exc.value.error_dict
    assert not AttendanceMark.objects.exists()


def test_a_day_of_another_group_is_refused(chamber_user, stream, trainer, group, members):
    other = make_group(chamber_user, stream, "Group B", trainers=[trainer])
    with pytest.raises(ValidationError):
        mark(trainer, group, members[0], other.days.first())


def test_changing_a_past_mark_needs_a_reason_and_keeps_both_in_the_history(trainer, group, members):
    day = past_days(group)[0]
    mark(trainer, group, members[0], day, MarkKind.UNEXCUSED)
    with pytest.raises(ValidationError) as exc:
        mark(trainer, group, members[0], day, MarkKind.PRESENT)
    assert "change_reason" in exc.value.error_dict
    saved = mark(trainer, group, members[0], day, MarkKind.PRESENT, change_reason="Came after lunch")
    assert saved.version == 2
    assert list(AttendanceChange.objects.filter(mark=saved).values_list("old_kind", "new_kind", "reason")) == [
        ("", MarkKind.UNEXCUSED, ""),
        (MarkKind.UNEXCUSED, MarkKind.PRESENT, "Came after lunch"),
    ]


def test_todays_mark_changes_without_a_reason(trainer, group, members):
    today = group.days.get(date=MID_COURSE.date())
    mark(trainer, group, members[0], today, MarkKind.UNEXCUSED)
    assert mark(trainer, group, members[0], today, MarkKind.LATE).kind == MarkKind.LATE


def test_a_stale_version_is_a_conflict_naming_the_cell_as_it_is(trainer, group, members):
    today = group.days.get(date=MID_COURSE.date())
    mark(trainer, group, members[0], today, MarkKind.PRESENT, expected_version=0)
    mark(trainer, group, members[0], today, MarkKind.LATE, expected_version=1)
    with pytest.raises(Conflict) as exc:
        mark(trainer, group, members[0], today, MarkKind.UNEXCUSED, expected_version=1)
    assert "late" in str(exc.value.messages[0]).lower()
    assert AttendanceMark.objects.get().kind == MarkKind.LATE


def test_a_replayed_mark_is_saved_once(trainer, group, members):
    day = past_days(group)[0]
    key = uuid.uuid4()
    first = mark(trainer, group, members[0], day, MarkKind.LATE, client_id=key, expected_version=0)
    again = mark(trainer, group, members[0], day, MarkKind.LATE, client_id=key, expected_version=0)
    assert first.pk == again.pk
    assert AttendanceMark.objects.count() == 1
    assert AttendanceChange.objects.count() == 1


def test_a_replay_never_overwrites_a_newer_mark(trainer, group, members):
    today = group.days.get(date=MID_COURSE.date())
    key = uuid.uuid4()
    mark(trainer, group, members[0], today, MarkKind.UNEXCUSED, client_id=key, expected_version=0)
    mark(trainer, group, members[0], today, MarkKind.PRESENT, expected_version=1)  # a colleague, later
    replay = mark(trainer, group, members[0], today, MarkKind.UNEXCUSED, client_id=key, expected_version=0)
    assert replay.kind == MarkKind.PRESENT
    assert AttendanceMark.objects.get().kind == MarkKind.PRESENT
    assert AttendanceChange.objects.count() == 2


def test_everyone_present_fills_only_the_empty_cells(trainer, group, members):
    day = past_days(group)[0]
    mark(trainer, group, members[0], day, MarkKind.UNEXCUSED)
    assert services.attendance_mark_day_present(actor=trainer, group_id=group.pk, day_id=day.pk) == 1
    kinds = dict(AttendanceMark.objects.values_list("membership_id", "kind"))
    assert kinds == {members[0].pk: MarkKind.UNEXCUSED, members[1].pk: MarkKind.PRESENT}
    assert services.attendance_mark_day_present(actor=trainer, group_id=group.pk, day_id=day.pk) == 0


# --- The absence rule ------------------------------------------------------------------------------


def miss(trainer, group, member, days, kinds):
    for day, kind in zip(days, kinds, strict=False):
        extra = {"reason_code": "illness"} if kind == MarkKind.EXCUSED else {}
        mark(trainer, group, member, day, kind, **extra)


def test_the_limit_warns_once_then_one_case_opens_and_stays_one(trainer, group, members):
    days = past_days(group)
    member = members[0]
    miss(trainer, group, member, days[:3], [MarkKind.UNEXCUSED] * 3)
    assert AbsenceWarning.objects.filter(membership=member).count() == 1
    assert OutboxMessage.objects.filter(task="training.tasks.notify_absence_warning_task").count() == 1
    assert not ExpulsionCase.objects.exists()
    assert status_of(member) == Status.IN_TRAINING

    miss(trainer, group, member, days[3:4], [MarkKind.UNEXCUSED])
    case = ExpulsionCase.objects.get()
    assert case.state == ExpulsionCase.State.OPEN
    assert [d["kind"] for d in case.missed_days] == [MarkKind.UNEXCUSED] * 4
    assert status_of(member) == Status.EXPULSION_CASE

    miss(trainer, group, member, days[4:5], [MarkKind.UNEXCUSED])
    assert ExpulsionCase.objects.count() == 1
    assert len(ExpulsionCase.objects.get().missed_days) == 5
    assert AbsenceWarning.objects.count() == 1
    assert StatusChange.objects.filter(application=member.application, move="training.open_case").count() == 1


def test_excused_and_unexcused_days_count_together(trainer, group, members):
    days = past_days(group)
    miss(trainer, group, members[0], days[:4], [MarkKind.EXCUSED, MarkKind.UNEXCUSED, MarkKind.EXCUSED, MarkKind.LATE])
    assert AbsenceWarning.objects.count() == 1 and not ExpulsionCase.objects.exists()
    miss(trainer, group, members[0], days[4:5], [MarkKind.EXCUSED])
    case = ExpulsionCase.objects.get()
    assert [d["kind"] for d in case.missed_days].count(MarkKind.EXCUSED) == 3
    assert case.missed_days[0]["reason_code"] == "illness"


def test_a_correction_back_within_the_limit_closes_the_case_with_its_reason(trainer, group, members):
    days = past_days(group)
    member = members[0]
    miss(trainer, group, member, days[:4], [MarkKind.UNEXCUSED] * 4)
    assert status_of(member) == Status.EXPULSION_CASE
    mark(trainer, group, member, days[0], MarkKind.PRESENT, change_reason="Was there: the sheet was wrong")
    case = ExpulsionCase.objects.get()
    assert case.state == ExpulsionCase.State.CLOSED_BY_CORRECTION
    assert case.closed_reason == "Was there: the sheet was wrong"
    assert status_of(member) == Status.IN_TRAINING
    # Missing again opens a new case: one open at a time, the closed one kept.
    mark(trainer, group, member, days[5], MarkKind.UNEXCUSED)
    assert ExpulsionCase.objects.filter(state=ExpulsionCase.State.OPEN).count() == 1
    assert ExpulsionCase.objects.count() == 2


def test_the_limit_comes_from_the_stream(trainer, group, members, stream):
    stream.absence_limit = 1
    stream.save()
    days = past_days(group)
    miss(trainer, group, members[0], days[:2], [MarkKind.UNEXCUSED] * 2)
    assert ExpulsionCase.objects.count() == 1


def test_the_course_finishes_after_the_last_day_unless_a_case_is_open(trainer, group, members):
    days = past_days(group)
    mark(trainer, group, members[0], days[0])
    miss(trainer, group, members[1], days[:4], [MarkKind.UNEXCUSED] * 4)
    assert services.courses_finish() == 0  # the course is still running
    last = group.days.order_by("date").last().date
    assert services.courses_finish(today=last + datetime.timedelta(days=1)) == 1
    assert status_of(members[0]) == Status.COURSE_FINISHED
    assert status_of(members[1]) == Status.EXPULSION_CASE
    assert services.courses_finish(today=last + datetime.timedelta(days=1)) == 0


def test_a_module_is_delivered_on_its_day_and_counts_for_who_attended(trainer, group, members):
    from training import selectors

    days = past_days(group)
    mark(trainer, group, members[0], days[0])
    mark(trainer, group, members[1], days[0], MarkKind.UNEXCUSED)
    services.module_mark_delivered(actor=trainer, group_id=group.pk, day_id=days[0].pk)
    assert selectors.progress_of(members[0]) == 1
    assert selectors.progress_of(members[1]) == 0
    with pytest.raises(ValidationError):
        services.module_mark_delivered(actor=trainer, group_id=group.pk, day_id=group.days.last().pk)


# --- Who may ---------------------------------------------------------------------------------------


def test_another_trainer_cannot_mark_the_group(district, group, members):
    stranger = make_staff(Role.TRAINER, district=district)
    with pytest.raises(NotFound):
        mark(stranger, group, members[0], past_days(group)[0])
    assert not AttendanceMark.objects.exists()


def test_a_trainer_of_the_group_who_cannot_see_it_is_refused_by_the_rule(district, chamber_user, group, members):
    centre = make_staff(Role.EMPLOYMENT_CENTRE, district=district)
    with pytest.raises((Refused, NotFound)):
        mark(centre, group, members[0], past_days(group)[0])


def test_the_districts_chamber_may_mark_and_anothers_may_not(chamber_user, other_district, group, members):
    assert mark(chamber_user, group, members[0], past_days(group)[0]).marked_by == chamber_user
    foreign = make_staff(Role.CHAMBER, district=other_district)
    with pytest.raises((Refused, NotFound)):
        mark(foreign, group, members[1], past_days(group)[0])


def test_the_warning_is_one_sms_when_the_trainers_email_fails_and_is_retried(
    trainer, group, members, settings, monkeypatch
):
    """The e-mail server fails on the first try: the retry sends the trainers' e-mail, and the
    participant has had one SMS, not one per try. The trainer reads it in their own language."""
    from core.sms import MemorySmsBackend
    from training import tasks

    settings.SMS_BACKEND = "core.sms.MemorySmsBackend"
    MemorySmsBackend.outbox.clear()
    trainer.email, trainer.language = "trainer@example.kz", "ru"
    trainer.save(update_fields=["email", "language"])
    miss(trainer, group, members[0], past_days(group)[:3], [MarkKind.UNEXCUSED] * 3)
    warning = AbsenceWarning.objects.get(membership=members[0])
    sent = []

    def send_mail(subject, body, sender, to):
        if not sent:
            sent.append(None)
            raise ConnectionError("mail server down")
        sent.append((subject, to))

    monkeypatch.setattr(tasks, "send_mail", send_mail)
    with pytest.raises(ConnectionError):
        tasks.notify_absence_warning_task.run(warning.pk)
    tasks.notify_absence_warning_task.run(warning.pk)  # the retry
    tasks.notify_absence_warning_task.run(warning.pk)  # a copy relayed again: nothing left to send

    assert [phone for phone, _ in MemorySmsBackend.outbox] == [str(members[0].application.phone)]
    assert sent[1:] == [("Bastau: участник достиг предела пропусков", ["trainer@example.kz"])]
    warning.refresh_from_db()
    assert warning.participant_notified_at and warning.trainers_notified_at


def test_days_missed_are_one_count_for_a_participant_moved_between_groups(
    chamber_user, stream, trainer, group, members, login
):
    """Two days missed in group A, then moved to group B and one more missed there: the rule, group B's
    grid and register, its at-risk list, the participant's status page and the API all say 3."""
    from training import absence, selectors
    from training.stage import group_panel

    member = members[0]
    other = make_group(chamber_user, stream, "Group B", trainers=[trainer])
    days = past_days(group)
    miss(trainer, group, member, days[:2], [MarkKind.UNEXCUSED, MarkKind.EXCUSED])
    moved = services.member_move(actor=chamber_user, application_id=member.application_id, group_id=other.pk)
    miss(trainer, other, moved, past_days(other)[2:3], [MarkKind.UNEXCUSED])
    limit = stream.absence_limit
    assert limit == 3

    assert len(list(absence.missed_marks(member.application))) == 3
    assert AbsenceWarning.objects.filter(membership=moved).exists()  # the rule saw 3: at the limit
    _group, rows, _days, _marks = selectors.attendance_grid(trainer, other.code)
    assert [row.missed for row in rows] == [3]
    assert [m.application_id for m in selectors.group_attendance(other)["at_risk"]] == [member.application_id]
    member.application.refresh_from_db()
    panel = group_panel(sender=None, application=member.application, user=chamber_user)
    assert panel.context["missed"] == 3 and panel.context["at_limit"]

    client = login(trainer)
    page = client.get(reverse("training:attendance", args=[other.code]) + "?view=grid")
    assert page.context["rows"][0]["missed"] == 3
