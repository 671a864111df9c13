from django.db.models import Count, Prefetch, Q

from applications.models import Application, Status
from training.models import GroupMember, MarkKind, TeachingDay, TrainingGroup


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


def current_place_of(application: Application) -> GroupMember | None:
    return GroupMember.objects.current().select_related("group").filter(application=application).first()


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
