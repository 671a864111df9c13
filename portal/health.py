"""/health/: a cheap public liveness answer, and the detailed state for monitoring.

- Anybody: `{"status": "ok"}` (200) or `{"status": "error"}` (503), from a database check made at
  most once every LIVENESS_SECONDS per process: no broker or cache round trip, a few ms.
- With the token (`HEALTH_TOKEN`, sent as `Authorization: Bearer <token>` or `?token=`) or a
  staff login (`is_staff`): the database, the cache, the broker and the workers. Workers are
  counted from the heartbeats they write (core/heartbeat.py), never by a broadcast in the request.
"""

import hmac
import threading
import time
import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from bastau.celery import app as celery_app
from core import heartbeat

LIVENESS_SECONDS = 5.0
_liveness = {"at": -LIVENESS_SECONDS, "ok": False}
_liveness_lock = threading.Lock()


def _check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"ok": True, "vendor": connection.vendor}
    except Exception as exc:
        return {"ok": False, "error": exc.__class__.__name__}


def _check_cache() -> dict:
    key, value = f"health:{uuid.uuid4().hex}", "1"
    try:
        cache.set(key, value, 10)
        ok = cache.get(key) == value
        cache.delete(key)
        return {"ok": ok}
    except Exception as exc:
        return {"ok": False, "error": exc.__class__.__name__}


def _check_broker() -> dict:
    if celery_app.conf.task_always_eager:
        return {"ok": True, "mode": "eager (in-process, no broker)"}
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return {"ok": True}
    except Exception as exc:
        return {"ok": False, "error": exc.__class__.__name__}


def _check_workers() -> dict:
    if celery_app.conf.task_always_eager:
        return {"ok": True, "mode": "in-process", "count": 0}
    try:
        names = heartbeat.alive_workers()
    except Exception as exc:
        return {"ok": False, "count": 0, "error": exc.__class__.__name__}
    return {"ok": bool(names), "count": len(names)}


def liveness() -> bool:
    """Whether the database answered, checked at most once every LIVENESS_SECONDS per process."""
    now = time.monotonic()
    if now - _liveness["at"] >= LIVENESS_SECONDS and _liveness_lock.acquire(blocking=False):
        try:
            _liveness["ok"] = _check_database()["ok"]
            _liveness["at"] = time.monotonic()
        finally:
            _liveness_lock.release()
    return _liveness["ok"]


def _may_see_details(request) -> bool:
    token = settings.HEALTH_TOKEN
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        given = given or request.GET.get("token", "")
        if given and hmac.compare_digest(given.encode(), token.encode()):
            return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff)


@login_not_required
@never_cache
def health(request):
    if not _may_see_details(request):
        ok = liveness()
        return JsonResponse({"status": "ok" if ok else "error"}, status=200 if ok else 503)
    report = {
        "database": _check_database(),
        "cache": _check_cache(),
        "broker": _check_broker(),
        "workers": _check_workers(),
    }
    # A missing worker delays background work but the portal still serves: report it, stay 200.
    healthy = all(report[name]["ok"] for name in ("database", "cache", "broker"))
    return JsonResponse({"status": "ok" if healthy else "error", **report}, status=200 if healthy else 503)
