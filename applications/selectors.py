"""Reads for application pages: the citizen's timeline and the staff queue."""

import datetime

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from applications import pathway
from applications.models import OPEN_STATUSES, ApplicantList, Application, Status, StatusChange


def application_for_status_page(user, code) -> Application:
    """The application with its history, documents and stream in a fixed number of queries."""
    return (
        Application.objects.visible_to(user)
        .select_related("stream__year", "district__region", "registered_at_organisation", "applicant_list")
        .prefetch_related(
            Prefetch("changes", queryset=StatusChange.objects.select_related("actor").order_by("at", "pk")),
            "documents",
        )
        .get(code=code)
    )


def timeline(application: Application) -> list[pathway.Step]:
    """Every step of the path, done and to come, from the declared steps and the history."""
    return pathway.timeline(application, application.changes.all())


def queue(user):
    """Applications the user may see, with what a queue row shows, in one query per page."""
    return (
        Application.objects.visible_to(user)
        .select_related("stream__year", "district")
        .defer("business_idea", "ineligibility_note")
    )


# What a row of the centre's queue shows and its checks read (the status move's rule: status, area).
QUEUE_ROW = (
    *("code", "number", "status", "channel", "stream__number", "stream__year__year", "region", "district"),
    *("iin", "last_name", "first_name", "patronymic", "iin_mismatch", "submitted_at", "applicant"),
)


def queue_page_rows(user):
    """The queue's rows as its page shows them: only the columns a row reads (one query per page)."""
    return Application.objects.visible_to(user).select_related("stream__year").only(*QUEUE_ROW)


def queue_counts(user) -> dict:
    # COUNT(status), not COUNT(id): PostgreSQL then counts from the index application_district_counts alone.
    return Application.objects.visible_to(user).aggregate(
        waiting=Count("status", filter=Q(status=Status.SUBMITTED)),
        eligible_unlisted=Count("status", filter=Q(status=Status.ELIGIBLE, applicant_list__isnull=True)),
        open=Count("status", filter=Q(status__in=OPEN_STATUSES)),
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
