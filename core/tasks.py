from celery import shared_task

from core import outbox


@shared_task(ignore_result=True)
def relay_outbox_task() -> int:
    """Publish the outbox messages that could not be published when they were written."""
    return outbox.relay()


@shared_task(ignore_result=True)
def sweep_jobs_task() -> dict:
    """Queue again the background work of every kind whose message or worker was lost, and fail what
    reached its cap of tries (core/jobs.py)."""
    from core import jobs

    return jobs.sweep()
