"""/health/: the state of the database, the cache, the Celery broker and its workers."""

import uuid

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from bastau.celery import app as celery_app


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


def _check_celery() -> tuple[dict, dict]:
    if celery_app.conf.task_always_eager:
        mode = {"ok": True, "mode": "eager (in-process, no broker)"}
        return mode, {"ok": True, "mode": "in-process", "count": 0}
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        broker = {"ok": True}
    except Exception as exc:
        return {"ok": False, "error": exc.__class__.__name__}, {"ok": False, "count": 0}
    try:
        replies = celery_app.control.ping(timeout=1.0) or []
    except Exception:
        replies = []
    return broker, {"ok": bool(replies), "count": len(replies)}


@login_not_required
@never_cache
def health(request):
    broker, workers = _check_celery()
    report = {"database": _check_database(), "cache": _check_cache(), "broker": broker, "workers": workers}
    # A missing worker delays background work but the portal still serves: report it, stay 200.
    healthy = all(report[name]["ok"] for name in ("database", "cache", "broker"))
    return JsonResponse({"status": "ok" if healthy else "error", **report}, status=200 if healthy else 503)
