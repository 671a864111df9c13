from django.db.models import Count, Prefetch

from training.models import GroupMember, TeachingDay, TrainingGroup


def groups_for(user):
    return (
        TrainingGroup.objects.visible_to(user)
        .select_related("stream__year", "district")
        .prefetch_related("trainers")
        .annotate(size=Count("members", distinct=True))
    )


def group_detail(user, code) -> TrainingGroup:
    """The group with its trainers, members and schedule, in a fixed number of queries."""
    return (
        TrainingGroup.objects.visible_to(user)
        .select_related("stream__year", "district__region")
        .prefetch_related(
            "trainers",
            Prefetch("members", queryset=GroupMember.objects.select_related("application")),
            Prefetch("days", queryset=TeachingDay.objects.select_related("module").order_by("date")),
        )
        .get(code=code)
    )
