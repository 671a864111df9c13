"""Every change to training groups: creating them with a schedule, moving days, placing participants."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts import policy
from accounts.models import Role, User
from accounts.scoping import office_district
from applications import pathway
from applications.models import Application, Status
from applications.services import detect_type
from core import outbox
from core.errors import Conflict, NotFound, Refused
from geography.models import District
from training import absence
from training.models import (
    AbsenceDocument,
    AttendanceChange,
    AttendanceMark,
    ExcuseReason,
    ExpulsionCase,
    GroupMember,
    MarkKind,
    Module,
    TeachingDay,
    TrainingGroup,
)
from training.schedule import days_off, is_teaching_day, module_for_day, teaching_dates


def _check_trainers(district: District, trainers) -> None:
    for trainer in trainers:
        if (
            trainer.role != Role.TRAINER
            or trainer.organisation_id is None
            or trainer.organisation.district_id != district.pk
        ):
            raise ValidationError(
                {"trainers": [_("%(name)s is not a trainer of your district.") % {"name": trainer.full_name}]}
            )


@transaction.atomic
def group_create(
    *, actor: User, stream, name: str, place: str, course_start: datetime.date, capacity: int = 30, trainers=()
) -> TrainingGroup:
    """Create a group and build its schedule from the stream's course settings."""
    # A course starts within its stream's programme year, give or take a year (0001-01-01 built a
    # year-1 schedule, 9999-12-31 overflowed): refused on the field, before any date arithmetic.
    year = stream.year.year
    if not datetime.date(year - 1, 1, 1) <= course_start <= datetime.date(year + 1, 12, 31):
        raise ValidationError(
            {
                "course_start": [
                    _("The course starts between %(first)s and %(last)s (the stream's year, give or take one).")
                    % {"first": year - 1, "last": year + 1}
                ]
            }
        )
    policy.require(actor, "training.create_group")
    district = office_district(actor)
    if district is None:  # the rule above asks for a district office; this keeps the types honest
        raise Refused(_("Training groups are formed by a district's Chamber branch."))
    _check_trainers(district, trainers)
    if not 1 <= capacity <= 200:
        raise ValidationError({"capacity": [_("A group has from 1 to 200 places.")]})
    if TrainingGroup.objects.filter(stream=stream, district=district, name=name).exists():
        raise ValidationError({"name": [_("Your district already has a group of this name in this stream.")]})
    group = TrainingGroup.objects.create(
        stream=stream,
        district=district,
        region_id=district.region_id,
        name=name,
        place=place,
        course_start=course_start,
        capacity=capacity,
        created_by=actor,
    )
    group.trainers.set(trainers)
    schedule_build(group)
    return group


def schedule_build(group: TrainingGroup) -> list[TeachingDay]:
    """(Re)build the group's teaching days: `teaching_days` days from the course start, skipping Sundays
    and public holidays, with the modules spread over them in order."""
    stream = group.stream
    modules = {m.number: m for m in Module.objects.filter(number__lte=stream.modules_count)}
    if len(modules) < stream.modules_count:
        raise ValidationError(
            _("Only %(n)s module titles are set up; the stream needs %(m)s.")
            % {"n": len(modules), "m": stream.modules_count}
        )
    if stream.teaching_days < stream.modules_count:
        raise ValidationError(_("The stream has fewer teaching days than modules."))
    off = days_off(group.course_start, group.course_start + datetime.timedelta(days=stream.calendar_days * 2))
    dates = teaching_dates(group.course_start, stream.teaching_days, off)
    group.days.all().delete()
    return TeachingDay.objects.bulk_create(
        TeachingDay(
            group=group,
            ordinal=n,
            date=day,
            module=modules[module_for_day(n, stream.teaching_days, stream.modules_count)],
        )
        for n, day in enumerate(dates, start=1)
    )


def schedule_overruns(group: TrainingGroup, days: list[TeachingDay]) -> bool:
    """True when holidays push the last teaching day past the course's calendar length."""
    if not days:
        return False
    return days[-1].date > group.course_start + datetime.timedelta(days=group.stream.calendar_days - 1)


@transaction.atomic
def teaching_day_move(*, actor: User, group: TrainingGroup, day_id: int, new_date: datetime.date) -> TeachingDay:
    """Move one of the group's teaching days to a date that is not a Sunday, a holiday or another teaching day."""
    policy.require(actor, "training.edit_group", group)
    day = (
        TeachingDay.objects.select_for_update(of=("self",))
        .select_related("group")
        .filter(pk=day_id, group=group, group__in=TrainingGroup.objects.visible_to(actor))
        .first()
    )
    if day is None:
        raise ValidationError(_("This teaching day is not in the group."))
    if not is_teaching_day(new_date, days_off(new_date, new_date)):
        raise ValidationError({"date": [_("That day is a Sunday or a public holiday.")]})
    if TeachingDay.objects.filter(group=day.group, date=new_date).exclude(pk=day.pk).exists():
        raise ValidationError({"date": [_("The group already has a teaching day on that date.")]})
    day.date = new_date
    day.save(update_fields=["date"])
    # Keep the ordinals in date order so "day 5" is the fifth day the group meets.
    days = list(day.group.days.order_by("date", "pk"))
    for ordinal, item in enumerate(days, start=1):
        item.ordinal = 10_000 + ordinal  # two passes: avoid clashing with the unique ordinal constraint
    TeachingDay.objects.bulk_update(days, ["ordinal"])
    for ordinal, item in enumerate(days, start=1):
        item.ordinal = ordinal
    TeachingDay.objects.bulk_update(days, ["ordinal"])
    return day


def _unplaced(actor: User, stream):
    return (
        Application.objects.visible_to(actor)
        .filter(stream=stream, status=Status.PASSED)
        .order_by("last_name", "first_name")
    )


def _current_sizes(groups) -> dict[int, int]:
    return dict(
        GroupMember.objects.current()
        .filter(group__in=groups)
        .values("group")
        .annotate(n=Count("pk"))
        .values_list("group", "n")
    )


def _place(application: Application, group: TrainingGroup, actor: User) -> GroupMember:
    """Give a participant who passed the test a place: the row, and the move PASSED → PLACED."""
    member = GroupMember.objects.create(group=group, application=application, placed_by=actor)
    pathway.fire(
        application,
        "training.place",
        actor=actor,
        reason=lambda: _("Group %(group)s, %(place)s.") % {"group": group.name, "place": group.place},
    )
    return member


@transaction.atomic
def participants_place(*, actor: User, stream) -> tuple[int, int]:
    """Put the stream's unplaced participants into its groups by capacity, in group order. The placement
    rule: only groups still taking newcomers, those whose course starts at most the stream's
    `late_join_days` calendar days before today (0: only before it starts); later, a newcomer could not
    catch up. The Chamber may still place one by hand in a group under way, never in one whose course
    has ended (member_move). Returns (placed, left without a place)."""
    policy.require(actor, "training.create_group")
    today = timezone.localdate()
    # Lock the groups, then count their members apart: PostgreSQL refuses FOR UPDATE with GROUP BY.
    groups = list(
        TrainingGroup.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .filter(stream=stream, course_start__gte=today - datetime.timedelta(days=stream.late_join_days))
        .order_by("name")
    )
    sizes = _current_sizes(groups)
    waiting = list(_unplaced(actor, stream).select_for_update(of=("self",)))
    placed = 0
    for group in groups:
        free = group.capacity - sizes.get(group.pk, 0)
        while free > 0 and waiting:
            _place(waiting.pop(0), group, actor)
            placed += 1
            free -= 1
    return placed, len(waiting)


@transaction.atomic
def member_move(*, actor: User, application_id: int, group_id: int, today: datetime.date | None = None) -> GroupMember:
    """Place a participant in a group by hand, or move them from their group to another.
    A move ends the old place (kept as history) and starts a new one. `today` (the demo's history)
    is the day the placement is judged on."""
    group = (
        TrainingGroup.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("stream")
        .filter(pk=group_id)
        .first()
    )
    if group is None:
        raise NotFound(_("This group does not exist or is outside your area."))
    policy.require(actor, "training.edit_group", group)
    application = (
        Application.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .filter(pk=application_id, status__in=(Status.PASSED, Status.PLACED, Status.IN_TRAINING))
        .first()
    )
    if application is None:
        raise NotFound(_("This participant is not in your district, or has not passed the test."))
    policy.require(actor, "training.place", application)
    if application.stream_id != group.stream_id:
        raise ValidationError(_("The participant belongs to another stream."))
    member = GroupMember.objects.current().select_for_update().filter(application=application).first()
    if member and member.group_id == group.pk:
        return member
    if _current_sizes([group]).get(group.pk, 0) >= group.capacity:
        raise ValidationError(_("The group is full (%(n)s places).") % {"n": group.capacity})
    try:
        with transaction.atomic():
            if member is None:
                if application.status != Status.PASSED:
                    raise Conflict(_("The participant has just been placed in a group; reload the page."))
                last_day = TeachingDay.objects.filter(group=group).aggregate(last=Max("date"))["last"]
                if last_day and last_day < (today or timezone.localdate()):
                    raise ValidationError(
                        _("The course of group %(group)s ended on %(day)s; choose a group starting later.")
                        % {"group": group.name, "day": formats.date_format(last_day, "SHORT_DATE_FORMAT")}
                    )
                return _place(application, group, actor)
            member.left_at = timezone.now()
            member.left_reason = _("Moved to group %(group)s") % {"group": group.name}
            member.save(update_fields=["left_at", "left_reason"])
            new = GroupMember.objects.create(group=group, application=application, placed_by=actor)
            member.moved_to = new
            member.save(update_fields=["moved_to"])
            # Told after the commit, through the outbox: the request never waits on Redis.
            outbox.enqueue("training.tasks.notify_move_task", new.pk)
            return new
    except IntegrityError:
        # Placed by someone else a moment ago (two clicks, two colleagues): say so instead of failing.
        raise Conflict(_("The participant has just been placed in a group; reload the page.")) from None


# --- Attendance ------------------------------------------------------------------------------------

ATTENDING_STATUSES = (Status.PLACED, Status.IN_TRAINING, Status.EXPULSION_CASE)


def _markable_group(actor: User, group_id: int, action: str) -> TrainingGroup:
    group = (
        TrainingGroup.objects.visible_to(actor)
        .select_related("stream")
        .prefetch_related("trainers")
        .filter(pk=group_id)
        .first()
    )
    if group is None:
        raise NotFound(_("This group does not exist or is outside your area."))
    policy.require(actor, action, group)
    return group


def _check_kind(kind: str, reason_code: str, reason_text: str) -> tuple[str, str]:
    if kind not in MarkKind.values:
        raise ValidationError({"kind": [_("Choose a mark.")]})
    if kind != MarkKind.EXCUSED:
        return "", ""
    if reason_code not in ExcuseReason.values:
        raise ValidationError({"reason_code": [_("Choose the valid reason for the absence.")]})
    return reason_code, reason_text.strip()[:300]


def _replayed(client_id) -> AttendanceMark | None:
    """The mark a key already saved: a retried request gets the cell as it is now, nothing is redone."""
    if client_id is None:
        return None
    change = AttendanceChange.objects.filter(client_id=client_id).select_related("mark__day").first()
    return change.mark if change else None


def _save_mark(
    *,
    actor: User,
    group: TrainingGroup,
    membership: GroupMember,
    day: TeachingDay,
    kind: str,
    reason_code: str = "",
    reason_text: str = "",
    change_reason: str = "",
    expected_version: int | None = None,
    client_id=None,
    only_if_empty: bool = False,
) -> AttendanceMark | None:
    """Save one cell on a locked application, write its history, apply the path and the absence rule."""
    application = Application.objects.select_for_update().get(pk=membership.application_id)
    if application.status not in ATTENDING_STATUSES:
        raise Conflict(
            _("%(name)s is “%(status)s” now; their attendance is no longer marked.")
            % {"name": application.full_name, "status": application.get_status_display()}
        )
    # Checked under the lock, so two copies of one replayed mark arriving at once save it once.
    replayed = _replayed(client_id)
    if replayed is not None:
        if replayed.group_id != group.pk:
            raise NotFound(_("This participant is not in the group."))
        return replayed
    mark = AttendanceMark.objects.select_for_update().filter(membership=membership, day=day).first()
    today = timezone.localdate()
    old_kind = ""
    if mark is None:
        if expected_version:
            raise Conflict(_("The cell changed: its mark was removed. Reload the page."), code="stale")
        mark = AttendanceMark(
            membership=membership, day=day, group=group, district_id=group.district_id, version=0, marked_by=actor
        )
    else:
        if only_if_empty:
            return None
        if expected_version is not None and expected_version != mark.version:
            raise Conflict(
                _("The cell changed meanwhile; it is now “%(kind)s”.") % {"kind": mark.get_kind_display()},
                code="stale",
            )
        if (mark.kind, mark.reason_code, mark.reason_text) == (kind, reason_code, reason_text):
            return mark  # nothing changes, nothing to record
        if day.date < today and not change_reason.strip():
            raise ValidationError({"change_reason": [_("Say why you change a mark of a past day.")]})
        old_kind = mark.kind
    mark.kind, mark.reason_code, mark.reason_text = kind, reason_code, reason_text
    if kind != MarkKind.EXCUSED:
        mark.document = None  # a document belongs to an excused absence; the row stays as history
    mark.version += 1
    mark.marked_by = actor
    mark.marked_at = timezone.now()
    mark.save()
    AttendanceChange.objects.create(
        mark=mark,
        old_kind=old_kind,
        new_kind=kind,
        reason=change_reason.strip()[:300],
        actor=actor,
        version=mark.version,
        client_id=client_id,
    )
    if application.status == Status.PLACED:  # the first mark on a teaching day: the course has begun for them
        pathway.fire(application, "training.start", actor=None, reason=_("The course has started."))
    absence.apply_rule(application, membership, group, because=change_reason.strip())
    return mark


def _membership_on(group: TrainingGroup, membership_id: int, day: TeachingDay) -> GroupMember:
    """A place in the group that was held on the day (the current one, or one ended after it)."""
    member = GroupMember.objects.filter(pk=membership_id, group=group).select_related("application").first()
    if member is None or (member.left_at is not None and timezone.localdate(member.left_at) < day.date):
        raise NotFound(_("This participant is not in the group."))
    return member


def _teaching_day(group: TrainingGroup, day_id) -> TeachingDay:
    day = TeachingDay.objects.filter(pk=day_id, group=group).first()
    if day is None:
        raise ValidationError({"day": [_("This teaching day is not in the group's course.")]})
    if day.date > timezone.localdate():
        raise ValidationError({"day": [_("A day that has not come yet cannot be marked.")]})
    return day


@transaction.atomic
def attendance_mark(
    *,
    actor: User,
    group_id: int,
    membership_id: int,
    day_id: int,
    kind: str,
    reason_code: str = "",
    reason_text: str = "",
    change_reason: str = "",
    expected_version: int | None = None,
    client_id=None,
) -> AttendanceMark:
    """Mark one participant on one teaching day. `expected_version` is the cell's version the trainer
    saw (0: empty): when it moved meanwhile the answer is a Conflict naming the mark it holds now.
    `client_id` makes the call idempotent: the same key again returns the cell, changes nothing."""
    group = _markable_group(actor, group_id, "training.mark_attendance")
    reason_code, reason_text = _check_kind(kind, reason_code, reason_text)
    day = _teaching_day(group, day_id)
    membership = _membership_on(group, membership_id, day)
    mark = _save_mark(
        actor=actor,
        group=group,
        membership=membership,
        day=day,
        kind=kind,
        reason_code=reason_code,
        reason_text=reason_text,
        change_reason=change_reason,
        expected_version=expected_version,
        client_id=client_id,
    )
    if mark is None:  # only "everyone present" skips a filled cell
        raise Conflict(_("The cell changed meanwhile. Reload the page."), code="stale")
    return mark


@transaction.atomic
def absence_document_attach(*, actor: User, group_id: int, membership_id: int, day_id: int, upload) -> AbsenceDocument:
    """Attach a document (a photo or PDF of a medical note) to an excused absence: its type read from
    the content, its size bounded (settings.ABSENCE_DOCUMENT_MAX_BYTES), stored under a name the server
    picks. The cell's version moves and its history says a document was attached; a document attached
    before is replaced (and kept). Refusals name the field `file`."""
    group = _markable_group(actor, group_id, "training.attach_absence_document")
    day = _teaching_day(group, day_id)
    membership = _membership_on(group, membership_id, day)
    limit = settings.ABSENCE_DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            {"file": [_("The file is larger than %(mb)s MB.") % {"mb": formats.number_format(limit / 2**20, 0)}]}
        )
    content_type = detect_type(upload)
    if content_type is None:
        raise ValidationError({"file": [_("Attach a photo (JPEG or PNG) or a PDF.")]})
    # The same locks, in the same order, as a mark: the application, then the cell.
    application = Application.objects.select_for_update().get(pk=membership.application_id)
    mark = AttendanceMark.objects.select_for_update().filter(membership=membership, day=day).first()
    if mark is None or mark.kind != MarkKind.EXCUSED:
        raise ValidationError({"file": [_("A document is attached only to an absence with a valid reason.")]})
    document = AbsenceDocument.objects.create(
        mark=mark,
        group=group,
        district_id=group.district_id,
        file=upload,
        original_name=upload.name[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    mark.document = document
    mark.version += 1
    mark.save(update_fields=["document", "version"])
    AttendanceChange.objects.create(
        mark=mark,
        old_kind=mark.kind,
        new_kind=mark.kind,
        reason=_("Document attached: %(name)s") % {"name": document.original_name[:200]},
        actor=actor,
        version=mark.version,
        document=document,
    )
    absence.apply_rule(application, membership, group)  # an open case lists the day with its document now
    return document


@transaction.atomic
def attendance_mark_day_present(*, actor: User, group_id: int, day_id: int) -> int:
    """ "Everyone present" for a day: fills only the cells still empty. Returns how many were filled."""
    group = _markable_group(actor, group_id, "training.mark_attendance")
    day = _teaching_day(group, day_id)
    filled = 0
    members = GroupMember.objects.current().filter(group=group).exclude(marks__day=day).order_by("application_id")
    for membership in members.select_related("application"):
        if membership.application.status not in ATTENDING_STATUSES:
            continue
        if _save_mark(
            actor=actor, group=group, membership=membership, day=day, kind=MarkKind.PRESENT, only_if_empty=True
        ):
            filled += 1
    return filled


@transaction.atomic
def module_mark_delivered(*, actor: User, group_id: int, day_id: int, delivered: bool = True) -> TeachingDay:
    """The trainer says the day's module was taught (or takes it back)."""
    group = _markable_group(actor, group_id, "training.deliver_module")
    day = _teaching_day(group, day_id)
    day = TeachingDay.objects.select_for_update().get(pk=day.pk)
    day.delivered_at = timezone.now() if delivered else None
    day.delivered_by = actor if delivered else None
    day.save(update_fields=["delivered_at", "delivered_by"])
    return day


def courses_finish(today: datetime.date | None = None) -> int:
    """Participants in training whose group's last teaching day has passed and who have no open case
    finish the course (`training.finish`). Safe to run again: each application is locked and checked."""
    today = today or timezone.localdate()
    last_days = TeachingDay.objects.values("group").annotate(last=Max("date")).filter(last__lt=today)
    ids = list(
        GroupMember.objects.current()
        .filter(group__in=last_days.values("group"), application__status=Status.IN_TRAINING)
        .exclude(application__expulsion_cases__state=ExpulsionCase.State.OPEN)
        .values_list("application_id", flat=True)
    )
    finished = 0
    for application_id in ids:
        with transaction.atomic():
            application = Application.objects.select_for_update().filter(pk=application_id).first()
            if application is None or application.status != Status.IN_TRAINING:
                continue
            if ExpulsionCase.objects.filter(application=application, state=ExpulsionCase.State.OPEN).exists():
                continue
            pathway.fire(application, "training.finish", actor=None, reason=_("The last teaching day has passed."))
            finished += 1
    return finished
