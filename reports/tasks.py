import datetime

from celery import shared_task
from django.conf import settings

from reports import funnel, services

# A running export older than this has lost its worker (it would have hit the hard time limit).
EXPORT_STUCK_AFTER = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
# A queued export not started after this lost its message; the outbox relays within ~15 s otherwise.
EXPORT_QUEUED_AFTER = datetime.timedelta(minutes=5)


@shared_task
def refresh_funnel_task() -> int:
    """Rebuild the dashboard's summary rows (beat: every REPORTS_REFRESH_SECONDS)."""
    return funnel.refresh().rows


@shared_task
def export_run_task(job_id: int) -> None:
    services.export_run(job_id=job_id)


@shared_task
def sweep_exports_task() -> int:
    """Queue again the exports whose message or worker was lost (beat, every 5 minutes)."""
    return len(services.exports_sweep(stuck_after=EXPORT_STUCK_AFTER, queued_after=EXPORT_QUEUED_AFTER))
