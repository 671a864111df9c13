"""The holder's certificate by e-mail, with the PDF attached, once it is ready (in their language)."""

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from certificates.models import Certificate
from core.links import portal_link


def email_certificate(certificate_id: int) -> bool:
    """Send it once: the row is locked and marked sent in the same transaction. False: nothing to send."""
    with transaction.atomic():
        row = (
            Certificate.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("application")
            .filter(pk=certificate_id, emailed_at__isnull=True, render_state=Certificate.Render.READY)
            .first()
        )
        if row is None or not row.application.email:
            return False
        application = row.application
        with translation.override(application.language):
            context = {
                "certificate": row,
                "application": application,
                "url": portal_link("applications:status", application.code),
                "verify_url": portal_link("certificates:verify_code", row.code),
            }
            subject = render_to_string("emails/certificate-subject.txt", context).strip()
            body = render_to_string("emails/certificate-body.txt", context)
        message = EmailMessage(subject=subject, body=body, to=[application.email])
        with row.file.open("rb") as pdf:
            message.attach(f"{row.number}.pdf", pdf.read(), "application/pdf")
        message.send()
        row.emailed_at = timezone.now()
        row.save(update_fields=["emailed_at"])
    return True
