"""System checks Django does not ship: `check --deploy` does not notice a missing CSP."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


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
