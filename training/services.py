"""Every change to training groups: creating them with a schedule, moving days, placing participants."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policy
from accounts.models import Role, User
from accounts.scoping import office_district
from applications import pathway
from applications.models import Application, Status
from core.errors import Conflict, NotFound, Refused
from geography.models import District
from training.models import GroupMember, Module, TeachingDay, TrainingGroup
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
    """Put the stream's unplaced participants into its groups by capacity, in group order.
    Returns (placed, left without a place)."""
    policy.require(actor, "training.create_group")
    # Lock the groups, then count their members apart: PostgreSQL refuses FOR UPDATE with GROUP BY.
    groups = list(
        TrainingGroup.objects.visible_to(actor).select_for_update(of=("self",)).filter(stream=stream).order_by("name")
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
def member_move(*, actor: User, application_id: int, group_id: int) -> GroupMember:
    """Place a participant in a group by hand, or move them from their group to another.
    A move ends the old place (kept as history) and starts a new one."""
    group = TrainingGroup.objects.visible_to(actor).select_for_update().filter(pk=group_id).first()
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
                return _place(application, group, actor)
            member.left_at = timezone.now()
            member.left_reason = _("Moved to group %(group)s") % {"group": group.name}
            member.save(update_fields=["left_at", "left_reason"])
            new = GroupMember.objects.create(group=group, application=application, placed_by=actor)
            member.moved_to = new
            member.save(update_fields=["moved_to"])
            return new
    except IntegrityError:
        # Placed by someone else a moment ago (two clicks, two colleagues): say so instead of failing.
        raise Conflict(_("The participant has just been placed in a group; reload the page.")) from None
