"""The client's IP address: from the proxy's X-Forwarded-For only when BEHIND_TLS_PROXY says a
proxy we run sits in front; otherwise REMOTE_ADDR (a header anybody can send is never trusted).

Used by django-axes (AXES_CLIENT_IP_CALLABLE) and django-ratelimit (RATELIMIT_IP_META_KEY).
"""

from django.conf import settings


def client_ip(request) -> str:
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.headers.get("x-forwarded-for", "")
        # Our proxy appends the address it saw: the right-most entry. Entries to its left were
        # sent by the client and prove nothing.
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR", "") or "0.0.0.0"  # noqa: S104  a key, not a bind address
