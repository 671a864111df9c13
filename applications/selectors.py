"""Reads for application pages: the citizen's timeline and the staff queue."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from applications.models import OPEN_STATUSES, ApplicantList, Application, Status, StatusChange


@dataclass
class Step:
    title: str | Promise  # a lazy translation until the page renders
    state: str  # "done", "current", "failed", "upcoming"
    date: datetime.datetime | None = None
    detail: str | Promise = ""
    actor: str = ""


def application_for_status_page(user, code) -> Application:
    """The application with its history, documents and stream in a fixed number of queries."""
    return (
        Application.objects.visible_to(user)
        .select_related(
            "stream__year",
            "district__region",
            "registered_at_organisation",
            "applicant_list",
            "attempt__session",
            "group_membership__group",
        )
        .prefetch_related(
            Prefetch("changes", queryset=StatusChange.objects.select_related("actor").order_by("at", "pk")),
            "documents",
        )
        .get(code=code)
    )


def training_of(application: Application) -> dict:
    """The participant's group, trainers and schedule, when they have a group."""
    from training.models import GroupMember, TeachingDay

    try:
        group = application.group_membership.group
    except GroupMember.DoesNotExist:
        return {}
    days = list(TeachingDay.objects.filter(group=group).select_related("module").order_by("date"))
    return {"group": group, "trainers": list(group.trainers.all()), "days": days}


def attempt_of(application: Application):
    from aptitude.models import Attempt

    try:
        return application.attempt
    except Attempt.DoesNotExist:
        return None


def timeline(application: Application) -> list[Step]:
    """Every step of the pipeline, done and to come, with dates and reasons."""
    changes = {change.to_status: change for change in application.changes.all()}
    submitted = changes.get(Status.SUBMITTED)
    steps = [
        Step(
            _("Application submitted"),
            "done",
            application.submitted_at,
            _("Channel: %(channel)s") % {"channel": application.get_channel_display()},
            _actor(submitted),
        )
    ]
    decided = changes.get(Status.ELIGIBLE) or changes.get(Status.INELIGIBLE)
    if application.status == Status.INELIGIBLE:
        change = changes[Status.INELIGIBLE]
        steps.append(
            Step(_("Eligibility checked by the employment centre"), "failed", change.at, change.reason, _actor(change))
        )
    elif decided:
        steps.append(
            Step(
                _("Eligibility checked by the employment centre"),
                "done",
                decided.at,
                _("You belong to the programme's target group."),
                _actor(decided),
            )
        )
    else:
        steps.append(Step(_("Eligibility checked by the employment centre"), _current(application)))
    listed = changes.get(Status.LISTED)
    steps.append(
        Step(_("Sent to the Chamber of Entrepreneurs"), "done" if listed else "upcoming", listed.at if listed else None)
    )
    accepted = changes.get(Status.ACCEPTED)
    steps.append(
        Step(
            _("Accepted by the Chamber; aptitude test to be scheduled"),
            "done" if accepted else "upcoming",
            accepted.at if accepted else None,
        )
    )
    for title in (
        _("Aptitude test"),
        _("Training: 12 modules"),
        _("Business-plan defence"),
        _("Certificate"),
        _("Loan referral"),
    ):
        steps.append(Step(title, "upcoming"))
    if application.status == Status.WITHDRAWN:
        withdrawal = changes.get(Status.WITHDRAWN)
        steps = [s for s in steps if s.state not in ("upcoming", "current")]
        steps.append(
            Step(
                _("Application withdrawn"),
                "failed",
                withdrawal.at if withdrawal else application.status_changed_at,
                withdrawal.reason if withdrawal else "",
                _actor(withdrawal),
            )
        )
    elif application.status in (Status.INELIGIBLE, Status.TEST_FAILED):
        steps = [s for s in steps if s.state != "upcoming"]
    elif not any(step.state == "current" for step in steps):
        for step in steps:
            if step.state == "upcoming":
                step.state = "current"
                break
    return steps


def _current(application) -> str:
    return "current" if application.status == Status.SUBMITTED else "upcoming"


def _actor(change) -> str:
    if change is None or change.actor is None:
        return ""
    return change.actor.full_name


def queue(user):
    """Applications the user may see, with what a queue row shows, in one query per page."""
    return (
        Application.objects.visible_to(user)
        .select_related("stream__year", "district")
        .defer("business_idea", "ineligibility_note")
    )


def queue_counts(user) -> dict:
    return Application.objects.visible_to(user).aggregate(
        waiting=Count("pk", filter=Q(status=Status.SUBMITTED)),
        eligible_unlisted=Count("pk", filter=Q(status=Status.ELIGIBLE, applicant_list__isnull=True)),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
    )


def lists_for(user):
    return (
        ApplicantList.objects.visible_to(user)
        .select_related("stream__year", "district", "created_by", "accepted_by")
        .annotate(size=Count("applications"))
    )


def list_detail(user, code) -> ApplicantList:
    return ApplicantList.objects.visible_to(user).select_related("stream__year", "district__region").get(code=code)


def list_rows(applicant_list: ApplicantList):
    return applicant_list.applications.select_related("district").order_by("last_name", "first_name")


def waiting_since(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)
