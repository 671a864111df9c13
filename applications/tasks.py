from celery import shared_task
from django.conf import settings

from applications import notifications

# An import step still unfinished this long after it was queued has lost its worker: longer than the
# hard time limit (a running one is never this old) and well before the visibility timeout.
IMPORT_STUCK_AFTER = settings.CELERY_TASK_TIME_LIMIT + 60


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=30, max_retries=5)
def notify_status_change_task(change_id: int) -> None:
    """Tell the applicant that their application moved on (e-mail and SMS)."""
    notifications.notify_status_change(change_id)


@shared_task(bind=True)
def import_check_task(self, job_id: int) -> None:
    from applications import imports

    imports.import_check(job_id=job_id)


@shared_task(bind=True)
def import_run_task(self, job_id: int) -> None:
    from applications import imports

    imports.import_run(job_id=job_id)


@shared_task
def sweep_background_work_task() -> dict:
    """Re-queue work whose message was lost (Redis down at enqueue, a worker killed): imports whose
    current step was queued more than IMPORT_STUCK_AFTER ago and never finished, and status changes not
    notified after 5 minutes (at most MAX_ATTEMPTS tries). Every task it queues is safe to run twice:
    an import still running holds its row lock and the copy returns at once."""
    import datetime

    from django.utils import timezone

    from applications.models import ImportJob, StatusChange
    from applications.notifications import MAX_ATTEMPTS

    now = timezone.now()
    stale = ImportJob.objects.filter(started_at__lt=now - datetime.timedelta(seconds=IMPORT_STUCK_AFTER))
    checking = list(stale.filter(state=ImportJob.State.CHECKING).values_list("pk", flat=True))
    importing = list(stale.filter(state=ImportJob.State.IMPORTING).values_list("pk", flat=True))
    unsent = list(
        StatusChange.objects.filter(
            notified_at__isnull=True,
            notify_attempts__lt=MAX_ATTEMPTS,
            at__lt=now - datetime.timedelta(minutes=5),
            at__gt=now - datetime.timedelta(days=2),
        ).values_list("pk", flat=True)[:1000]
    )
    for job_id in checking:
        import_check_task.apply_async((job_id,), retry=False)
    for job_id in importing:
        import_run_task.apply_async((job_id,), retry=False)
    for change_id in unsent:
        notify_status_change_task.apply_async((change_id,), retry=False)
    return {"checking": len(checking), "importing": len(importing), "notifications": len(unsent)}


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=30, max_retries=5)
def notify_known_applicant_task(reason: str, kind: str, pk: int) -> None:
    """Tell the person on file why an online application with their details was not taken."""
    from applications.notices import notify_known_applicant

    notify_known_applicant(reason, kind, pk)
