"""Rate limits per client IP on the public doors: the application form, login, password reset.

django-ratelimit counts in the default cache (Redis in production: atomic and shared by every
gunicorn worker; locmem in tests). The limits are settings.RATELIMITS so tests can lower them.

- login: every POST counts towards a burst limit; each *failed* login counts towards a lower one,
  so one IP trying one password on many accounts (password spraying) is stopped, while an office
  whose staff all log in from one address is not;
- the lockout itself (django-axes) is per username *and* IP: a stranger cannot lock a citizen or
  an office out of their own address by typing wrong passwords elsewhere.
"""

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.shortcuts import render
from django_ratelimit.core import get_usage, is_ratelimited


def _limited(request, group: str, *, increment: bool, key: str = "ip") -> bool:
    try:
        return is_ratelimited(
            request,
            group=group,
            key=key,
            rate=settings.RATELIMITS[group],
            method=is_ratelimited.ALL,
            increment=increment,
        )
    except Exception:  # the cache is down: let the request through (axes still locks per account)
        return False


def blocked(request, group: str) -> bool:
    """Count this request in `group` and say whether the IP is over the limit."""
    return _limited(request, group, increment=True)


def failures_blocked(request) -> bool:
    """Whether the IP has used up its failed logins (read only; failures are counted below)."""
    try:
        usage = get_usage(
            request, group="login-failures", key="ip", rate=settings.RATELIMITS["login-failures"], increment=False
        )
    except Exception:
        return False
    return bool(usage) and usage["count"] >= usage["limit"]


def limited_for(request, group: str, value: str) -> bool:
    """Count one use of `value` (e.g. the account a reset is asked for) in `group`."""
    return _limited(request, group, increment=True, key=lambda _group, _request: value.strip().lower())


@receiver(user_login_failed)
def _count_failure(sender, credentials=None, request=None, **kwargs):
    if request is not None:
        _limited(request, "login-failures", increment=True)


@receiver(user_logged_in)
def _start_idle_time(sender, request=None, user=None, **kwargs):
    """A new session starts its idle time at login (accounts/middleware.py)."""
    if request is not None and hasattr(request, "session"):
        from accounts.middleware import touch_session

        touch_session(request, user)


def too_many(request):
    return render(request, "429.html", status=429)


# --- Progressive cool-off -----------------------------------------------------------------------
# django-axes locks a username at an IP after AXES_FAILURE_LIMIT failures. Each new lock of the same
# username and IP within a day doubles the cool-off: 15 min, 30 min, 1 h, … at most 16 h. Another
# address is never affected, so this slows a guesser down without locking the owner out.

COOLOFF_BASE_MINUTES = 15
COOLOFF_MAX_DOUBLINGS = 6
LOCKOUTS_REMEMBERED = 24 * 3600


def _lock_key(request, username: str | None = None) -> str:
    from accounts.backends import lockout_username
    from core.clientip import client_ip

    if username is None:
        username = lockout_username(request, {"username": request.POST.get("username", "")})
    return f"axes-lockouts:{username}:{client_ip(request)}"


def cool_off(request=None):
    """AXES_COOLOFF_TIME: the base cool-off, doubled for each earlier lock of this username at this IP."""
    import datetime

    base = datetime.timedelta(minutes=COOLOFF_BASE_MINUTES)
    if request is None or request.method != "POST":
        return base
    try:
        locks = cache.get(_lock_key(request), 0)
    except Exception:
        return base
    return base * 2 ** min(max(locks - 1, 0), COOLOFF_MAX_DOUBLINGS)


@receiver(user_locked_out)
def _count_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    """Count a lock once (axes signals again for every refused try while it lasts)."""
    if request is None:
        return
    try:
        key = _lock_key(request, username)
        locks = cache.get(key, 0)
        if cache.get(f"{key}:seen"):
            return  # the lock already counted is still on
        locks += 1
        cache.set(key, locks, LOCKOUTS_REMEMBERED)
        lasts = COOLOFF_BASE_MINUTES * 60 * 2 ** min(locks - 1, COOLOFF_MAX_DOUBLINGS)
        cache.set(f"{key}:seen", 1, lasts)
    except Exception:  # noqa: S110  the cache is down: the base cool-off applies
        pass
