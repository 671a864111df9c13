"""Links that leave the portal (SMS, e-mail, the certificate's QR code): the portal's public address
(settings.PORTAL_URL; in development the port `make run` serves on) and the page's path."""

from django.conf import settings
from django.urls import reverse


def portal_link(view_name: str, *args) -> str:
    return settings.PORTAL_URL.rstrip("/") + reverse(view_name, args=args)
