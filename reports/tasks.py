from celery import shared_task

from core import jobs
from reports import funnel, services


@shared_task
def refresh_funnel_task() -> int:
    """Rebuild the dashboard's summary rows (beat: every REPORTS_REFRESH_SECONDS)."""
    return funnel.refresh().rows


@shared_task(bind=True, max_retries=None)
def export_run_task(self, job_id: int) -> str:
    return jobs.run(
        self,
        services.EXPORT,
        job_id,
        lambda pk: services.export_run(job_id=pk),
        permanent=(services.OwnerMayNotExport,),
    )
