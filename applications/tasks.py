from celery import shared_task
from django.utils import translation
from django.utils.translation import gettext as _

from applications import notifications
from core import jobs


def _import_failed(job, error: str) -> str:
    language = type(job).objects.filter(pk=job.pk).values_list("created_by__language", flat=True).first()
    with translation.override(language or None):
        return _("The server could not finish the import; it has been reported. Try again later.")


# A register import, on the job machine (core/jobs.py): two steps, each waiting and at work in one state
# (checking, then importing after the preview), each with its task; the tries of the current step are
# capped, its progress is processed of total rows.
IMPORT = jobs.register(
    jobs.Kind(
        name="applications.import",
        model="applications.ImportJob",
        task="applications.tasks.import_check_task",
        queued=None,
        running=None,
        steps=(
            ("checking", "applications.tasks.import_check_task"),
            ("importing", "applications.tasks.import_run_task"),
        ),
        error_length=2000,
        finished="finished_at",
        processed="processed_rows",
        total="total_rows",
        max_attempts=3,
        failed_message=_import_failed,
    )
)
# An import step still unfinished this long after it was queued has lost its worker: longer than the
# hard time limit (a running one is never this old) and well before the visibility timeout.
IMPORT_STUCK_AFTER = int(IMPORT.stale_after.total_seconds())


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=30, max_retries=5)
def notify_status_change_task(change_id: int) -> None:
    """Tell the applicant that their application moved on (e-mail and SMS)."""
    notifications.notify_status_change(change_id)


@shared_task(bind=True, max_retries=None)
def import_check_task(self, job_id: int) -> str:
    from applications import imports

    return jobs.run(self, IMPORT, job_id, lambda pk: imports.import_check(job_id=pk))


@shared_task(bind=True, max_retries=None)
def import_run_task(self, job_id: int) -> str:
    from applications import imports

    return jobs.run(self, IMPORT, job_id, lambda pk: imports.import_run(job_id=pk))


@shared_task
def sweep_background_work_task() -> dict:
    """Send again the status changes not notified after 5 minutes (at most MAX_ATTEMPTS tries): their
    message was lost (Redis down at enqueue, a worker killed). Imports are swept by the job machine
    (core.tasks.sweep_jobs_task)."""
    import datetime

    from django.utils import timezone

    from applications.models import StatusChange
    from applications.notifications import MAX_ATTEMPTS

    now = timezone.now()
    unsent = list(
        StatusChange.objects.filter(
            notified_at__isnull=True,
            notify_attempts__lt=MAX_ATTEMPTS,
            at__lt=now - datetime.timedelta(minutes=5),
            at__gt=now - datetime.timedelta(days=2),
        ).values_list("pk", flat=True)[:1000]
    )
    for change_id in unsent:
        notify_status_change_task.apply_async((change_id,), retry=False)
    return {"notifications": len(unsent)}


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=30, max_retries=5)
def notify_known_applicant_task(reason: str, kind: str, pk: int) -> None:
    """Tell the person on file why an online application with their details was not taken."""
    from applications.notices import notify_known_applicant

    notify_known_applicant(reason, kind, pk)
