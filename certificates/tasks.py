"""The certificates' background work. The PDF task runs on the `pdf` queue (settings.CELERY_TASK_ROUTES)."""

import datetime
import logging

from celery import shared_task
from django.conf import settings

log = logging.getLogger("bastau.certificates")

RETRIES = 5


@shared_task(bind=True, max_retries=RETRIES, soft_time_limit=60, time_limit=90, acks_late=True)
def render_certificate_task(self, certificate_id: int) -> str:
    """Render and sign one certificate. Errors retry with backoff (15 s, 30 s, … at most 10 min, below
    the broker's visibility timeout); after the last one the certificate is marked failed."""
    from certificates import rendering
    from certificates.signing import SigningNotConfigured

    try:
        return rendering.render_certificate(certificate_id)
    except SigningNotConfigured as exc:  # retrying will not help: say so on the row at once
        log.error("Certificate %s: %s", certificate_id, exc)
        rendering.mark_failed(certificate_id, str(exc))
        return "failed"
    except Exception as exc:
        log.exception("Certificate %s: rendering failed (try %s)", certificate_id, self.request.retries + 1)
        if self.request.retries >= RETRIES:
            rendering.mark_failed(certificate_id, f"{type(exc).__name__}: {exc}")
            return "failed"
        rendering.note_error(certificate_id, f"{type(exc).__name__}: {exc}")
        raise self.retry(exc=exc, countdown=min(600, 15 * 2**self.request.retries)) from exc


@shared_task(autoretry_for=(ConnectionError, TimeoutError, OSError), retry_backoff=30, max_retries=5)
def email_certificate_task(certificate_id: int) -> bool:
    from certificates.mail import email_certificate

    return email_certificate(certificate_id)


@shared_task
def sweep_certificates_task() -> dict:
    """Queue again the PDFs whose message or worker was lost: queued or rendering for longer than
    CERTIFICATE_RENDER_STUCK_SECONDS (above the PDF task's hard time limit, so none is running), and
    the e-mails of ready certificates not sent after 5 minutes. Each task is safe to run twice."""
    from django.utils import timezone

    from certificates.models import Certificate

    now = timezone.now()
    stuck_before = now - datetime.timedelta(seconds=settings.CERTIFICATE_RENDER_STUCK_SECONDS)
    stuck = Certificate.objects.filter(
        render_state__in=[Certificate.Render.QUEUED, Certificate.Render.RENDERING], render_started_at__lt=stuck_before
    )
    ids = list(stuck.values_list("pk", flat=True)[:2000])
    # Re-queued now: not again before another timeout has passed.
    Certificate.objects.filter(pk__in=ids).update(render_started_at=now)
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
    for certificate_id in ids:
        render_certificate_task.apply_async((certificate_id,), retry=False)
    for certificate_id in unsent:
        email_certificate_task.apply_async((certificate_id,), retry=False)
    return {"renders": len(ids), "emails": len(unsent)}
