"""The counts on a staff member's home page: what is waiting for them, each linking to the page
where they act on it. One aggregate query per model, whatever the role or the data size."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role


@dataclass
class WorkItem:
    label: str
    count: int
    url: str
    urgent: bool = False  # shown in red when there is anything


def _applications(user, *, since_days: int = 14) -> dict:
    from applications.models import Application, Status
    from applications.selectors import waiting_since

    submitted = Q(status=Status.SUBMITTED)
    return Application.objects.visible_to(user).aggregate(
        submitted=Count("pk", filter=submitted),
        overdue=Count("pk", filter=submitted & Q(submitted_at__lt=waiting_since(since_days))),
        unlisted=Count("pk", filter=Q(status=Status.ELIGIBLE, applicant_list__isnull=True)),
        untested=Count("pk", filter=Q(status=Status.ACCEPTED, attempt__isnull=True)),
        unplaced=Count("pk", filter=Q(status=Status.PASSED)),
        registered_here=Count("pk", filter=Q(registered_at_organisation=user.organisation_id)),
        participants=Count("pk", filter=Q(status__in=(Status.PLACED, Status.IN_TRAINING, Status.EXPULSION_CASE))),
    )


def _lists(user) -> dict:
    from applications.models import ApplicantList

    return ApplicantList.objects.visible_to(user).aggregate(
        sent=Count("pk", filter=Q(state=ApplicantList.State.SENT)),
    )


def _groups(user) -> int:
    from training.models import TrainingGroup

    return TrainingGroup.objects.visible_to(user).count()


def worklist_for(user, role: str) -> list[WorkItem]:
    queue = reverse("applications:queue")
    if role in (Role.COMMISSION, Role.FINANCE):
        return []  # their pages (defences, loan referrals) are not built yet: nothing is promised
    if role == Role.TRAINER:
        return [WorkItem(_("Your training groups"), _groups(user), reverse("training:groups"))]
    apps = _applications(user)
    awaiting = WorkItem(_("Awaiting an eligibility decision"), apps["submitted"], f"{queue}?status=submitted")
    overdue = WorkItem(_("Waiting over 14 days"), apps["overdue"], f"{queue}?waiting=14", urgent=True)
    if role == Role.EMPLOYMENT_CENTRE:
        lists = _lists(user)
        return [
            awaiting,
            overdue,
            WorkItem(_("Eligible, not yet on a list for the Chamber"), apps["unlisted"], reverse("applications:lists")),
            WorkItem(_("Lists sent, not yet accepted by the Chamber"), lists["sent"], reverse("applications:lists")),
        ]
    if role == Role.AKIMAT:
        return [
            awaiting,
            WorkItem(_("Registered by your organisation"), apps["registered_here"], f"{queue}?status="),
        ]
    if role == Role.CHAMBER:
        lists = _lists(user)
        return [
            WorkItem(_("Lists to accept"), lists["sent"], reverse("applications:lists"), urgent=True),
            WorkItem(_("Accepted applicants without a test"), apps["untested"], reverse("aptitude:sessions")),
            WorkItem(_("Participants to place in a group"), apps["unplaced"], reverse("training:groups")),
            WorkItem(_("Training groups"), _groups(user), reverse("training:groups")),
        ]
    # Analysts and administrators follow the whole of their area.
    return [
        awaiting,
        overdue,
        WorkItem(_("Participants"), apps["participants"], f"{queue}?status=participant"),
    ]
