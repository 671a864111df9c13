"""The real reason an online application was refused, told to the contact already on file.

The visitor who typed the data sees only a neutral answer (no enumeration of who is known); the
person the record belongs to learns that somebody tried, and why it could not go in.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from applications import signals
from applications.models import Application
from core.sms import send_sms

# One notice per person and reason an hour, however often somebody tries (no message flooding).
REPEAT_AFTER = 3600


def _recipient(kind: str, pk: int):
    """(phone, e-mail, language, application or None) of the record the notice is about."""
    if kind == "user":
        user = User.objects.filter(pk=pk).first()
        return (str(user.phone or ""), user.email, user.language or "kk", None) if user else None
    application = Application.objects.select_related("applicant").filter(pk=pk).first()
    if application is None:
        return None
    account = application.applicant
    phone = str((account.phone if account else None) or application.phone or "")
    email = (account.email if account else "") or application.email
    return phone, email, application.language or "kk", application


def _reason_text(reason: str, application) -> str:
    if reason == "refused":
        # The later stage's own words (certificates: one certificate per person), through the hook.
        responses = signals.submission_check.send(sender=Application, iin=application.iin) if application else []
        why = " ".join(str(message) for _, message in responses if message) or "—"
        return _(
            "Somebody tried to apply to Bastau online with your IIN, and the application was not taken: %(why)s"
        ) % {"why": why}
    if reason == "in_progress":
        return _(
            "Somebody tried to apply to Bastau online with your IIN. Your application %(number)s is already "
            "in progress, so a second one was not taken."
        ) % {"number": application.number}
    return _(
        "Somebody tried to apply to Bastau online with your phone number or e-mail, which belong to your "
        "account. To apply, log in first and use the form there."
    )


def notify_known_applicant(reason: str, kind: str, pk: int) -> bool:
    """Send the notice by e-mail and SMS; False when there is nobody to tell or it was sent lately."""
    recipient = _recipient(kind, pk)
    if recipient is None:
        return False
    try:
        if not cache.add(f"known-notice:{kind}:{pk}:{reason}", 1, REPEAT_AFTER):
            return False
    except Exception:  # noqa: S110  a cache outage must not stop the notice
        pass
    phone, email, language, application = recipient
    with translation.override(language):
        context = {
            "text": _reason_text(reason, application),
            "login_url": settings.PORTAL_URL.rstrip("/") + reverse("accounts:login"),
        }
        subject = render_to_string("emails/known-applicant-subject.txt", context).strip()
        body = render_to_string("emails/known-applicant-body.txt", context)
        html = render_to_string("emails/known-applicant-body.html", context)
        sms = render_to_string("emails/known-applicant-sms.txt", context).strip()
    if email:
        message = EmailMultiAlternatives(subject=subject, body=body, to=[email])
        message.attach_alternative(html, "text/html")
        message.send()
    if phone:
        send_sms(phone, sms)
    return True
