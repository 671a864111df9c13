"""The certificates' background work. The PDF is a job of the job machine (core/jobs.py) on the `pdf`
queue (settings.CELERY_TASK_ROUTES); its state lives on the certificate row."""

import datetime
import logging

from celery import shared_task
from django.conf import settings

from core import jobs

log = logging.getLogger("bastau.certificates")

CERTIFICATE_PDF = jobs.register(
    jobs.Kind(
        name="certificates.pdf",
        model="certificates.Certificate",
        task="certificates.tasks.render_certificate_task",
        queue="pdf",
        state="render_state",
        running="rendering",
        done="ready",
        attempts="render_attempts",
        since="render_started_at",
        error="render_error",
        # A PDF that kills its worker stops after this many tries (retries and the sweeper's re-queues).
        max_attempts=8,
        # Above the task's hard time limit (90 s), so none is running.
        stale_after=datetime.timedelta(seconds=settings.CERTIFICATE_RENDER_STUCK_SECONDS),
        # The render holds the row's lock (certificates/rendering.py): a message delivered again after
        # its worker died may start at once instead of waiting to be stale.
        locked_while_running=True,
    )
)


@shared_task(bind=True, max_retries=None, soft_time_limit=60, time_limit=90)
def render_certificate_task(self, certificate_id: int) -> str:
    """Render and sign one certificate under the job machine's retry policy (backoff 15 s, 30 s, … at most
    10 min, below the broker's visibility timeout; failed with the reason at the cap). A missing signing
    key, or a certificate with nothing to print (not issued through the portal), fails at once: retrying
    will not help."""
    from certificates import rendering
    from certificates.signing import SigningNotConfigured

    return jobs.run(
        self,
        CERTIFICATE_PDF,
        certificate_id,
        rendering.render_certificate,
        permanent=(SigningNotConfigured, rendering.NotRenderable),
    )


@shared_task(autoretry_for=(ConnectionError, TimeoutError, OSError), retry_backoff=30, max_retries=5)
def email_certificate_task(certificate_id: int) -> bool:
    from certificates.mail import email_certificate

    return email_certificate(certificate_id)


@shared_task
def sweep_certificates_task() -> dict:
    """Send the e-mails of ready certificates not sent after 5 minutes (the PDFs themselves are swept by
    the job machine's `sweep-jobs`). The task is safe to run twice."""
    from django.utils import timezone

    from certificates.models import Certificate

    now = timezone.now()
    unsent = list(
        Certificate.objects.filter(
            render_state=Certificate.Render.READY,
            emailed_at__isnull=True,
            rendered_at__lt=now - datetime.timedelta(minutes=5),
            rendered_at__gt=now - datetime.timedelta(days=2),
        )
        .exclude(application__email="")
        .values_list("pk", flat=True)[:1000]
    )
    for certificate_id in unsent:
        email_certificate_task.apply_async((certificate_id,), retry=False)
    return {"emails": len(unsent)}
