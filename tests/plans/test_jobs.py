"""The job machine (core/jobs.py): the cap of tries, the sweeper, the retry policy, the pdf queue."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from core import jobs
from plans import services
from plans.models import PdfState, PlanVersion
from tests.factories import make_draft_plan

pytestmark = pytest.mark.django_db


def test_every_pdf_kind_runs_on_the_pdf_queue_and_every_kind_is_swept():
    kinds = {kind.name: kind for kind in jobs.kinds()}
    assert {"applications.import", "reports.export", "plans.pdf", "commissions.protocol", "certificates.pdf"} <= set(
        kinds
    )
    for kind in kinds.values():
        routed = settings.CELERY_TASK_ROUTES.get(kind.task, {}).get("queue", "celery")
        assert routed == kind.queue
        assert kind.stale_after.total_seconds() < settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert jobs.backoff(1) == 15 and jobs.backoff(2) == 30 and jobs.backoff(20) == jobs.MAX_BACKOFF < 720


@pytest.fixture
def version(participant):
    make_draft_plan(participant)
    return services.plan_submit(actor=participant.applicant, application=participant)


def test_the_plan_pdf_sweeper_stops_at_the_cap(version):
    """A PDF that kills its worker every time is queued again only while under the cap, then failed."""
    from plans.tasks import PLAN_PDF

    long_ago = timezone.now() - PLAN_PDF.stale_after - datetime.timedelta(seconds=1)
    PlanVersion.objects.filter(pk=version.pk).update(
        pdf_state=PdfState.RENDERING, pdf_queued_at=long_ago, pdf_attempts=PLAN_PDF.max_attempts
    )
    assert jobs.sweep(["plans.pdf"])["plans.pdf"] == {"requeued": 0, "failed": 1}
    version.refresh_from_db()
    assert version.pdf_state == PdfState.FAILED and "5" in version.pdf_error


def test_a_failing_render_is_retried_up_to_the_cap_then_failed(version, monkeypatch):
    from core import pdf
    from plans.tasks import PLAN_PDF, render_plan_pdf_task

    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        raise ConnectionError("font server down")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    PlanVersion.objects.filter(pk=version.pk).update(pdf_state=PdfState.QUEUED, pdf_queued_at=timezone.now())
    assert render_plan_pdf_task.apply(args=[version.pk]).get() == "failed"
    version.refresh_from_db()
    assert len(calls) == PLAN_PDF.max_attempts == version.pdf_attempts
    assert version.pdf_state == PdfState.FAILED and "font server down" in version.pdf_error
