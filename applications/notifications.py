"""Messages to applicants. Rendered in the language they applied in, sent by a worker."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from applications.models import StatusChange
from core.sms import send_sms


def notify_status_change(change_id: int) -> bool:
    """Send the e-mail and SMS for one status change, once. Returns False when already sent."""
    with transaction.atomic():
        claimed = (
            StatusChange.objects.filter(pk=change_id, notified_at__isnull=True)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("application__stream__year")
            .first()
        )
        if claimed is None:
            return False
        application = claimed.application
        with translation.override(application.language):
            context = {
                "application": application,
                "change": claimed,
                "status": claimed.get_to_status_display(),
                "url": settings.PORTAL_URL.rstrip("/") + reverse("applications:status", args=[application.code]),
            }
            subject = render_to_string("emails/status-subject.txt", context).strip()
            body_text = render_to_string("emails/status-body.txt", context)
            body_html = render_to_string("emails/status-body.html", context)
            sms = render_to_string("emails/status-sms.txt", context).strip()
        if application.email:
            message = EmailMultiAlternatives(subject=subject, body=body_text, to=[application.email])
            message.attach_alternative(body_html, "text/html")
            message.send()
        send_sms(str(application.phone), sms)
        claimed.notified_at = timezone.now()
        claimed.save(update_fields=["notified_at"])
    return True
