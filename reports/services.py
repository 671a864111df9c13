"""What changes in reports: asking for an export, building it, and refreshing the summary."""

import datetime
import logging

from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import policy
from accounts.scoping import scope_for
from core import outbox
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


def export_request(*, actor, kind: str, file_format: str, filters: Filters) -> ExportJob:
    """Queue a large export of the actor's selection; the job row keeps its state and progress."""
    policy.require(actor, "reports.export")
    if kind not in EXPORT_KINDS or file_format not in ExportJob.Format.values:
        raise ValueError(f"Unknown export {kind}.{file_format}")
    with transaction.atomic():
        job = ExportJob.objects.create(
            owner=actor, kind=kind, file_format=file_format, params=filters.as_params(), started_at=timezone.now()
        )
        outbox.enqueue("reports.tasks.export_run_task", job.pk)
    return job


def export_run(*, job_id: int) -> None:
    """Build the file of a queued job. Idempotent: the job is claimed by one atomic update (a second
    copy of the message finds it taken and returns), and a job done or failed is left alone."""
    now = timezone.now()
    claimed = ExportJob.objects.filter(pk=job_id, state=ExportJob.State.QUEUED).update(
        state=ExportJob.State.RUNNING, started_at=now, processed_rows=0
    )
    if not claimed:
        return
    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    try:
        with translation.override(job.owner.language or None):
            # The owner's area when the file is built: someone moved to another office sees their new one.
            scope = scope_for(job.owner)
            if not policy.can(job.owner, "reports.export"):
                raise PermissionError("the owner may no longer export")
            queryset = exports.application_rows(scope, filters_from_params(job.params))
            ExportJob.objects.filter(pk=job_id).update(total_rows=queryset.count())

            def progress(done: int) -> None:
                ExportJob.objects.filter(pk=job_id).update(processed_rows=done)

            content = exports.write_applications(queryset, job.file_format, progress)
            job.refresh_from_db()
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
            job.file.save(f"bastau-applications-{stamp}.{job.file_format}", File(content), save=False)
            job.state = ExportJob.State.DONE
            job.finished_at = timezone.now()
            job.save(update_fields=["file", "state", "finished_at"])
    except Exception:
        log.exception("Export %s failed", job_id)
        with translation.override(job.owner.language or None):
            message = _("The server could not build the file; it has been reported. Try again later.")
        ExportJob.objects.filter(pk=job_id).update(
            state=ExportJob.State.FAILED, error=message, finished_at=timezone.now()
        )
        raise


def exports_sweep(*, stuck_after: datetime.timedelta, queued_after: datetime.timedelta) -> list[int]:
    """Jobs whose message was lost (Redis down at enqueue, a worker killed): a queued job not started
    after `queued_after`, a running one older than `stuck_after` (longer than the hard time limit, so it
    is not running any more). They are queued again, up to MAX_ATTEMPTS times, then marked failed."""
    now = timezone.now()
    with transaction.atomic():
        stale = list(
            ExportJob.objects.select_for_update(skip_locked=True).filter(
                state=ExportJob.State.QUEUED, started_at__lt=now - queued_after
            )
        ) + list(
            ExportJob.objects.select_for_update(skip_locked=True).filter(
                state=ExportJob.State.RUNNING, started_at__lt=now - stuck_after
            )
        )
        requeued = []
        for job in stale:
            if job.attempts + 1 >= MAX_ATTEMPTS:
                job.state = ExportJob.State.FAILED
                job.error = _("The file could not be built after several attempts. Ask for it again.")
                job.finished_at = now
                job.save(update_fields=["state", "error", "finished_at"])
                continue
            job.state = ExportJob.State.QUEUED
            job.attempts += 1
            job.started_at = now
            job.save(update_fields=["state", "attempts", "started_at"])
            outbox.enqueue("reports.tasks.export_run_task", job.pk)
            requeued.append(job.pk)
    return requeued
