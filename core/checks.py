"""System checks Django does not ship: `check --deploy` does not notice a missing CSP, nor links in
e-mails and SMS that point at the developer's machine."""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_content_security_policy(app_configs, **kwargs):
    errors = []
    if not getattr(settings, "SECURE_CSP", None):
        errors.append(
            Warning("SECURE_CSP is empty: pages are served without a Content-Security-Policy.", id="bastau.W001")
        )
    if "django.middleware.csp.ContentSecurityPolicyMiddleware" not in settings.MIDDLEWARE:
        errors.append(
            Warning("ContentSecurityPolicyMiddleware is not installed, so SECURE_CSP is not sent.", id="bastau.W002")
        )
    return errors


def _is_local(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


@register(Tags.security, deploy=True)
def check_portal_url(app_configs, **kwargs):
    """PORTAL_URL starts every link sent to applicants: in production it must be the public https site."""
    if settings.DEBUG:
        return []
    url = settings.PORTAL_URL
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        parts, host = None, ""
    errors = []
    if parts is None or parts.scheme != "https" or not host:
        errors.append(
            Error(
                f"PORTAL_URL={url!r} is not an https:// address; links in e-mails and SMS would not be secure.",
                hint="Set PORTAL_URL to the portal's public address, e.g. https://bastau.example.kz.",
                id="bastau.E001",
            )
        )
    if _is_local(host):
        errors.append(
            Error(
                f"PORTAL_URL={url!r} points at this machine; applicants' links would lead nowhere.",
                hint="Set PORTAL_URL to the portal's public address, e.g. https://bastau.example.kz.",
                id="bastau.E002",
            )
        )
    return errors
