"""Messages to applicants. Rendered in the language they applied in, sent by a worker.

Each channel is sent and recorded on its own, so a failing SMS gateway never makes the e-mail go
out twice; a change is `notified_at` once every channel it needs has gone.
"""

from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from applications.models import StatusChange
from core.delivery import send_once
from core.links import portal_link
from core.sms import send_sms

MAX_ATTEMPTS = 10


def _render(change: StatusChange) -> dict:
    application = change.application
    with translation.override(application.language):
        context = {
            "application": application,
            "change": change,
            "status": change.get_to_status_display(),
            "url": portal_link("applications:status", application.code),
        }
        return {
            "subject": render_to_string("emails/status-subject.txt", context).strip(),
            "text": render_to_string("emails/status-body.txt", context),
            "html": render_to_string("emails/status-body.html", context),
            "sms": render_to_string("emails/status-sms.txt", context).strip(),
        }


def notify_status_change(change_id: int) -> bool:
    """Send the e-mail and SMS for one status change. Returns False when there was nothing left to send."""
    change = (
        StatusChange.objects.select_related("application__stream__year")
        .filter(pk=change_id, notified_at__isnull=True, notify_attempts__lt=MAX_ATTEMPTS)
        .first()
    )
    if change is None:
        return False
    StatusChange.objects.filter(pk=change_id).update(notify_attempts=F("notify_attempts") + 1)
    application = change.application
    message = _render(change)
    if application.email:

        def send_email():
            email = EmailMultiAlternatives(subject=message["subject"], body=message["text"], to=[application.email])
            email.attach_alternative(message["html"], "text/html")
            email.send()

        send_once(StatusChange, change_id, "email_sent_at", send_email)
    send_once(StatusChange, change_id, "sms_sent_at", lambda: send_sms(str(application.phone), message["sms"]))
    done = StatusChange.objects.filter(pk=change_id, notified_at__isnull=True, sms_sent_at__isnull=False)
    if application.email:
        done = done.filter(email_sent_at__isnull=False)
    done.update(notified_at=timezone.now())
    return True
