"""The business plan's background work: a version's PDF, and the sweeper of PDFs whose message was lost."""

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

log = logging.getLogger("bastau.plans")

# A PDF queued (or being made) this long ago without an end has lost its message or its worker.
PDF_STUCK_AFTER = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


def render_version_pdf(version_id: int) -> str:
    """Make the version's PDF once: the row is locked and its state checked, so a copy of the message
    (the outbox's relay, the sweeper) finds it rendering or ready and returns. Returns the state left."""
    from core.pdf import render_pdf
    from plans.models import PdfState, PlanVersion

    with transaction.atomic():
        version = PlanVersion.objects.select_for_update(skip_locked=True).filter(pk=version_id).first()
        if version is None or version.pdf_state not in (PdfState.QUEUED, PdfState.RENDERING):
            return version.pdf_state if version else "missing"
        stuck = version.pdf_queued_at is None or version.pdf_queued_at < timezone.now() - PDF_STUCK_AFTER
        if version.pdf_state == PdfState.RENDERING and not stuck:
            return version.pdf_state  # another worker is on it
        version.pdf_state = PdfState.RENDERING
        version.pdf_queued_at = timezone.now()
        version.save(update_fields=["pdf_state", "pdf_queued_at"])
    version = PlanVersion.objects.select_related("plan__application__district__region").get(pk=version_id)
    try:
        with translation.override(version.language):
            pdf = render_pdf(
                "plans/pdf/plan.html",
                {"version": version, "application": version.plan.application, "figures": version.figures},
            )
    except Exception as exc:
        log.exception("The PDF of plan version %s failed", version_id)
        PlanVersion.objects.filter(pk=version_id, pdf_state=PdfState.RENDERING).update(
            pdf_state=PdfState.FAILED, pdf_error=str(exc)[:300]
        )
        return PdfState.FAILED
    with transaction.atomic():
        version = PlanVersion.objects.select_for_update().get(pk=version_id)
        if version.pdf_state != PdfState.RENDERING:
            return version.pdf_state
        version.pdf_file.save(f"plan-{version_id}.pdf", ContentFile(pdf), save=False)
        version.pdf_state = PdfState.READY
        version.pdf_error = ""
        version.save(update_fields=["pdf_file", "pdf_state", "pdf_error"])
    return PdfState.READY


@shared_task
def render_plan_pdf_task(version_id: int) -> str:
    return render_version_pdf(version_id)


@shared_task
def sweep_plan_pdfs_task() -> int:
    """Queue again the PDFs queued or rendering for longer than PDF_STUCK_AFTER (a lost message, a killed
    worker); the task itself checks the state under the row lock, so a copy does nothing."""
    from plans.models import PdfState, PlanVersion

    stale = list(
        PlanVersion.objects.filter(
            pdf_state__in=(PdfState.QUEUED, PdfState.RENDERING), pdf_queued_at__lt=timezone.now() - PDF_STUCK_AFTER
        ).values_list("pk", flat=True)[:500]
    )
    for version_id in stale:
        render_plan_pdf_task.apply_async((version_id,), retry=False)
    return len(stale)
