from django.db.models import Count, Prefetch, Q

from applications.models import Application, Status
from training import absence
from training.models import AttendanceMark, GroupMember, MarkKind, TeachingDay, TrainingGroup


def groups_for(user):
    return (
        TrainingGroup.objects.visible_to(user)
        .select_related("stream__year", "district")
        .prefetch_related("trainers")
        .annotate(size=Count("memberships", filter=Q(memberships__left_at__isnull=True), distinct=True))
    )


def group_detail(user, code) -> TrainingGroup:
    """The group with its trainers, current members and schedule, in a fixed number of queries."""
    return (
        TrainingGroup.objects.visible_to(user)
        .select_related("stream__year", "district__region")
        .prefetch_related(
            "trainers",
            Prefetch(
                "memberships",
                queryset=GroupMember.objects.current().select_related("application"),
                to_attr="members",
            ),
            Prefetch("days", queryset=TeachingDay.objects.select_related("module").order_by("date")),
        )
        .get(code=code)
    )


def places_of(application: Application) -> list[GroupMember]:
    """Every place the participant held, the current one last, with its group (one query): the status
    page reads the current place and the moves from it."""
    return list(
        GroupMember.objects.filter(application=application)
        .select_related("group__stream", "placed_by")
        .order_by("placed_at", "pk")
    )


def marks_of(application: Application) -> dict[int, AttendanceMark]:
    """The participant's marks over every place they held, by teaching day."""
    return {
        mark.day_id: mark
        for mark in AttendanceMark.objects.filter(membership__application=application).only(
            "pk", "day_id", "kind", "reason_code", "reason_text"
        )
    }


def unplaced_count(user) -> int:
    """Participants of the user's area who passed the test and wait for a group."""
    return Application.objects.visible_to(user).filter(status=Status.PASSED).count()


def progress_of(membership: GroupMember) -> int:
    """Modules delivered on days the participant attended (present or late), over every place they held."""
    return (
        TeachingDay.objects.filter(
            delivered_at__isnull=False,
            marks__membership__application_id=membership.application_id,
            marks__kind__in=(MarkKind.PRESENT, MarkKind.LATE),
        )
        .values("module")
        .distinct()
        .count()
    )


def attendance_grid(user, code) -> tuple[TrainingGroup, list[GroupMember], list[TeachingDay], dict]:
    """The group, its current members, its days and every mark of the group keyed by (member, day):
    a fixed number of queries whatever the group's size (the marks come from the denormalised group
    column, one query)."""
    group = (
        TrainingGroup.objects.visible_to(user)
        .select_related("stream", "district")
        .prefetch_related("trainers")
        .get(code=code)
    )
    members = list(
        GroupMember.objects.current()
        .filter(group=group)
        .select_related("application")
        .annotate(missed=absence.missed_days())
    )
    days = list(TeachingDay.objects.filter(group=group).select_related("module").order_by("date"))
    marks = {
        (m.membership_id, m.day_id): m
        for m in AttendanceMark.objects.filter(group=group).only(
            "pk", "membership_id", "day_id", "kind", "reason_code", "reason_text", "version", "document_id"
        )
    }
    return group, members, days, marks


def group_attendance(group: TrainingGroup) -> dict:
    """The Chamber's figures of a group, two queries: the share of marked cells attended (present or
    late), and the participants at or above the absence limit (counted from the partial index on absences)."""
    figures = AttendanceMark.objects.filter(group=group).aggregate(
        total=Count("pk"), attended=Count("pk", filter=Q(kind__in=(MarkKind.PRESENT, MarkKind.LATE)))
    )
    limit = group.stream.absence_limit
    at_risk = list(
        GroupMember.objects.current()
        .filter(group=group)
        .annotate(missed=absence.missed_days())
        .filter(missed__gte=limit)
        .select_related("application")
        .order_by("-missed")
    )
    total = figures["total"]
    return {"rate": round(100 * figures["attended"] / total) if total else None, "at_risk": at_risk, "limit": limit}
