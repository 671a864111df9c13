from celery import shared_task

from core import outbox


@shared_task(ignore_result=True)
def relay_outbox_task() -> int:
    """Publish the outbox messages that could not be published when they were written."""
    return outbox.relay()
