"""The business plan's background work: a version's PDF, on the job machine (core/jobs.py)."""

import logging

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation

from core import jobs

log = logging.getLogger("bastau.plans")

# The version's PDF: its state on the version row (queued → rendering → ready | failed), on the `pdf` queue.
PLAN_PDF = jobs.register(
    jobs.Kind(
        name="plans.pdf",
        model="plans.PlanVersion",
        task="plans.tasks.render_plan_pdf_task",
        queue="pdf",
        state="pdf_state",
        running="rendering",
        done="ready",
        attempts="pdf_attempts",
        since="pdf_queued_at",
        error="pdf_error",
        error_length=300,
    )
)
PDF_STUCK_AFTER = PLAN_PDF.stale_after


def render_version_pdf(version_id: int) -> str:
    """Make the version's PDF once: the try is claimed under the row lock (core.jobs.claim), so a copy of
    the message (the outbox's relay, the sweeper) finds it rendering or ready and returns. Returns the
    state left."""
    from core.pdf import render_pdf
    from plans.models import PdfState, PlanVersion

    if jobs.claim(PLAN_PDF, version_id) is None:
        state = PlanVersion.objects.filter(pk=version_id).values_list("pdf_state", flat=True).first()
        return "missing" if state is None else state
    version = PlanVersion.objects.select_related("plan__application__district__region").get(pk=version_id)
    with translation.override(version.language):
        pdf = render_pdf(
            "plans/pdf/plan.html",
            {"version": version, "application": version.plan.application, "figures": version.figures},
        )
    with transaction.atomic():
        version = PlanVersion.objects.select_for_update().get(pk=version_id)
        if version.pdf_state != PdfState.RENDERING:
            return version.pdf_state
        version.pdf_file.save(f"plan-{version_id}.pdf", ContentFile(pdf), save=False)
        version.pdf_state = PdfState.READY
        version.pdf_error = ""
        version.save(update_fields=["pdf_file", "pdf_state", "pdf_error"])
    return PdfState.READY


@shared_task(bind=True, max_retries=None)
def render_plan_pdf_task(self, version_id: int) -> str:
    return jobs.run(self, PLAN_PDF, version_id, render_version_pdf)
