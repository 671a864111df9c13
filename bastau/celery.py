"""The Celery application. Settings come from Django's, prefixed CELERY_."""

import logging
import os

from celery import Celery
from celery.signals import (
    celeryd_init,
    task_postrun,
    task_prerun,
    worker_process_init,
    worker_process_shutdown,
    worker_ready,
    worker_shutdown,
)
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bastau.settings")

app = Celery("bastau")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

log = logging.getLogger("bastau.celery")

# Periodic jobs. Each picks due rows from the database and calls one service, so a lost
# message is picked up again on the next beat.
app.conf.beat_schedule = {
    # Tasks written to the outbox while Redis was down (or whose web process died before it could
    # publish them) are published once the broker answers again (core/outbox.py).
    "relay-outbox": {
        "task": "core.tasks.relay_outbox_task",
        "schedule": 15.0,
    },
    # An online test whose time ran out is submitted with the answers given so far, even when the
    # citizen closed the page; the test page itself also submits on its next request.
    # Status-change notifications whose Celery message was lost (Redis down at enqueue, a worker killed)
    # are found by their state in the database and sent again; the task is safe to run twice.
    "sweep-background-work": {
        "task": "applications.tasks.sweep_background_work_task",
        "schedule": 300.0,
    },
    "submit-expired-aptitude-attempts": {
        "task": "aptitude.tasks.submit_expired_attempts_task",
        "schedule": 60.0,
    },
    # Participants whose group's last teaching day has passed, with no expulsion case open, finish
    # the course (training.finish); hourly, so the day after the last one they see it by morning.
    "finish-courses": {
        "task": "training.tasks.finish_courses_task",
        "schedule": 3600.0,
    },
    # The dashboard's summary rows are rebuilt from the path's history; the page says "figures as of
    # HH:MM", at most this old plus the refresh's own time (reports/funnel.py, docs/benchmarks.md).
    "refresh-funnel-summary": {
        "task": "reports.tasks.refresh_funnel_task",
        "schedule": float(settings.REPORTS_REFRESH_SECONDS),
    },
    # Background work of every kind (imports, exports, plan PDFs, protocols, certificates) left queued or
    # running past its stale time (a lost message, a killed worker) is queued again under its cap of
    # tries, or failed over it (core/jobs.py: one machine, one sweeper).
    "sweep-jobs": {
        "task": "core.tasks.sweep_jobs_task",
        "schedule": 60.0,
    },
    # Ready certificates whose e-mail did not go are sent.
    "sweep-certificates": {
        "task": "certificates.tasks.sweep_certificates_task",
        "schedule": 60.0,
    },
}


def log_execution_mode() -> None:
    """Say once, at start-up, when tasks run in-process because no broker is configured."""
    if app.conf.task_always_eager:
        log.info("REDIS_URL is not set: Celery tasks run eagerly, in-process (no worker needed).")


@celeryd_init.connect
def _refuse_eager_worker(**kwargs):
    if app.conf.task_always_eager:
        raise SystemExit("A Celery worker needs REDIS_URL: set it to the Redis the web process uses.")


@worker_process_init.connect
def _warm_up_pdf(**kwargs):
    """Each pool process builds WeasyPrint's fonts, fetcher and stylesheets once, at start, and reuses
    them for every PDF (PITFALLS.md: ~10x faster, memory flat)."""
    from core.pdf import warm_up

    try:
        warm_up("certificate.css")
    except Exception:  # a worker without Pango still serves the other queues; PDF tasks will say why
        log.exception("WeasyPrint could not be set up in this worker process")


@task_prerun.connect
@task_postrun.connect
def _close_old_connections(sender=None, **kwargs):
    """Around each task, what Django does around each request: close a connection that is broken, left in a
    transaction, or older than CONN_MAX_AGE, and health-check the next one. Celery's own fixup would
    instead close every connection around every task (a new PostgreSQL connection each time, ~8 ms);
    settings.CELERY_DB_REUSE_MAX turns that off. Not for a task run eagerly (in a request or a test)."""
    if sender is not None and getattr(sender.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()


@worker_ready.connect
def _start_heartbeat(sender=None, **kwargs):
    """Write this worker's heartbeat to the cache every few seconds; /health/ counts them."""
    from core import heartbeat

    heartbeat.start(sender.hostname)


@worker_shutdown.connect
def _stop_heartbeat(sender=None, **kwargs):
    import contextlib

    from core import heartbeat

    with contextlib.suppress(Exception):  # shutting down: the key expires by itself anyway
        heartbeat.forget(sender.hostname)


@worker_process_shutdown.connect
@worker_shutdown.connect
def _close_connections(**kwargs):
    """A worker keeps its database connection from task to task (above): it closes it when it stops (a
    pool process, or a solo worker), so PostgreSQL ends the session at once rather than on noticing the
    dead socket (a test database is dropped right after its workers stop)."""
    from django.db import connections

    connections.close_all()
