from celery import shared_task

from applications import notifications


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
    """Re-queue work whose message was lost (Redis down at enqueue, worker killed): imports still
    checking or importing after 10 minutes, and status changes not notified after 5 minutes.
    Each task is safe to run twice, so a job that is merely slow is not harmed."""
    import datetime

    from django.utils import timezone

    from applications.models import ImportJob, StatusChange

    now = timezone.now()
    checking = list(
        ImportJob.objects.filter(
            state=ImportJob.State.CHECKING, created_at__lt=now - datetime.timedelta(minutes=10)
        ).values_list("pk", flat=True)
    )
    importing = list(
        ImportJob.objects.filter(
            state=ImportJob.State.IMPORTING, created_at__lt=now - datetime.timedelta(minutes=10)
        ).values_list("pk", flat=True)
    )
    unsent = list(
        StatusChange.objects.filter(
            notified_at__isnull=True,
            at__lt=now - datetime.timedelta(minutes=5),
            at__gt=now - datetime.timedelta(days=2),
        ).values_list("pk", flat=True)[:1000]
    )
    for job_id in checking:
        import_check_task.delay(job_id)
    for job_id in importing:
        import_run_task.delay(job_id)
    for change_id in unsent:
        notify_status_change_task.delay(change_id)
    return {"checking": len(checking), "importing": len(importing), "notifications": len(unsent)}
