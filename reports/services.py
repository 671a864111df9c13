"""What changes in reports: asking for an export, building it, and refreshing the summary."""

import logging

from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import policy
from accounts.scoping import scope_for
from core import jobs
from geography.models import District, Region
from reports import exports
from reports.models import ExportJob
from reports.selectors import Filters

log = logging.getLogger("bastau.reports")

EXPORT_KINDS = ("applications",)
MAX_ATTEMPTS = 3


def filters_from_params(params: dict) -> Filters:
    region_id, district_id = params.get("region"), params.get("district")
    region = Region.objects.filter(pk=region_id).first() if region_id else None
    district = District.objects.filter(pk=district_id).first() if district_id else None
    return Filters(year=params.get("year"), stream=params.get("stream"), region=region, district=district)


def _language(job: ExportJob) -> str | None:
    """The language the export was asked in; a job queued before it was kept: its owner's."""
    return job.params.get("language") or job.owner.language or None


def _failed_message(job: ExportJob, error: str) -> str:
    with translation.override(_language(job)):
        return _("The server could not build the file; it has been reported. Try again later.")


# An export: its state, tries and progress on the job row; run by reports.tasks.export_run_task.
EXPORT = jobs.register(
    jobs.Kind(
        name="reports.export",
        model="reports.ExportJob",
        task="reports.tasks.export_run_task",
        finished="finished_at",
        processed="processed_rows",
        total="total_rows",
        max_attempts=MAX_ATTEMPTS,
        failed_message=_failed_message,
    )
)


def export_request(*, actor, kind: str, file_format: str, filters: Filters) -> ExportJob:
    """Queue a large export of the actor's selection; the job row keeps its state and progress, and the
    language the actor asked in (the file is written in it, by a worker that has no request)."""
    policy.require(actor, "reports.export")
    if kind not in EXPORT_KINDS or file_format not in ExportJob.Format.values:
        raise ValueError(f"Unknown export {kind}.{file_format}")
    params = {**filters.as_params(), "language": translation.get_language()}
    with transaction.atomic():
        job = ExportJob.objects.create(
            owner=actor, kind=kind, file_format=file_format, params=params, started_at=timezone.now()
        )
        jobs.start(EXPORT, job)
    return job


def export_run(*, job_id: int) -> str:
    """Build the file of a queued job. Idempotent: the try is claimed under the row lock (core.jobs.claim:
    a second copy of the message finds it taken and returns), and a job done or failed is left alone.
    An error is retried by the task (core.jobs.run) up to MAX_ATTEMPTS tries, then the job says why."""
    if jobs.claim(EXPORT, job_id) is None:
        return "skipped"
    jobs.progress(EXPORT, job_id, 0)
    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    with translation.override(_language(job)):
        # The owner's area when the file is built: someone moved to another office sees their new one.
        scope = scope_for(job.owner)
        if not policy.can(job.owner, "reports.export"):
            raise OwnerMayNotExport("the owner may no longer export")
        queryset = exports.application_rows(scope, filters_from_params(job.params))
        jobs.progress(EXPORT, job_id, 0, queryset.count())
        content = exports.write_applications(
            queryset, job.file_format, lambda done: jobs.progress(EXPORT, job_id, done)
        )
        job.refresh_from_db()
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        job.file.save(f"bastau-applications-{stamp}.{job.file_format}", File(content), save=False)
        job.state = ExportJob.State.DONE
        job.finished_at = timezone.now()
        job.save(update_fields=["file", "state", "finished_at"])
    return "done"


class OwnerMayNotExport(PermissionError):
    """The job's owner lost the right to export since asking: another try will not help."""
