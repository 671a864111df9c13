"""Delivery tasks shared by every app: e-mail and SMS go out from a worker, never a request."""

import smtplib

from celery import shared_task
from django.core.mail import EmailMultiAlternatives

from core.sms import send_sms


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    max_retries=5,
)
def send_email_task(to: list[str], subject: str, body_text: str, body_html: str | None = None) -> int:
    """Send one e-mail; transient SMTP failures are retried with back-off."""
    message = EmailMultiAlternatives(subject=subject, body=body_text, to=to)
    if body_html:
        message.attach_alternative(body_html, "text/html")
    return message.send()


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=30, max_retries=5)
def send_sms_task(phone: str, text: str) -> None:
    send_sms(phone, text)
