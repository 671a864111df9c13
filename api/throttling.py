"""Rate limits per token (per user for any other login; per address for the public calls), counted
in the shared cache with django-ratelimit's atomic counters (Redis in production, PITFALLS.md: an
atomic shared cache), through DRF's throttle interface so a refusal is a 429 in the error shape with
Retry-After. The rates are settings.RATELIMITS["api-token"] and ["api-public"]."""

from django.conf import settings
from django_ratelimit.core import get_usage
from rest_framework.throttling import BaseThrottle

from api.models import ApiToken


class _Throttle(BaseThrottle):
    group = ""

    def key(self, request) -> str:
        raise NotImplementedError

    def allow_request(self, request, view):
        self.time_left = None
        try:
            usage = get_usage(
                request._request,
                group=self.group,
                key=lambda _group, _request: self.key(request),
                rate=settings.RATELIMITS[self.group],
                increment=True,
            )
        except Exception:  # the cache is down: let the call through rather than refuse everyone
            return True
        if usage and usage["should_limit"]:
            self.time_left = max(usage["time_left"], 1)
            return False
        return True

    def wait(self):
        return self.time_left


class PerToken(_Throttle):
    group = "api-token"

    def key(self, request) -> str:
        if isinstance(request.auth, ApiToken):
            return f"token:{request.auth.pk}"
        if request.user and request.user.is_authenticated:
            return f"user:{request.user.pk}"
        return f"ip:{self.get_ident(request)}"

    def get_ident(self, request):
        from core.clientip import client_ip

        return client_ip(request._request)


class PerAddress(_Throttle):
    """The public calls (certificate verification): per client address."""

    group = "api-public"

    def key(self, request) -> str:
        from core.clientip import client_ip

        return f"ip:{client_ip(request._request)}"
