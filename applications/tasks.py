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
