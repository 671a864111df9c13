"""A worker process keeps its database connection from task to task, as a web process does from request to
request (bastau/celery.py, settings.CELERY_DB_REUSE_MAX): Celery's Django fixup alone would open a new
PostgreSQL connection for every task (~8 ms, a sixth of a certificate PDF). A broken connection, or one
older than CONN_MAX_AGE, is still closed between tasks."""

import time
from types import SimpleNamespace

import pytest
from celery.fixups.django import DjangoWorkerFixup
from django.db import connection

from bastau import celery as worker_setup
from bastau.celery import app

pytestmark = pytest.mark.django_db(transaction=True)

QUEUED = SimpleNamespace(request=SimpleNamespace(is_eager=False))  # a task delivered by the broker


def _around_a_task(fixup: DjangoWorkerFixup) -> None:
    """What a worker runs before and after each task (Celery's fixup, then ours)."""
    fixup.on_task_prerun(sender=QUEUED)
    worker_setup._close_old_connections(sender=QUEUED)
    fixup.on_task_postrun(sender=QUEUED)
    worker_setup._close_old_connections(sender=QUEUED)


def test_one_connection_serves_task_after_task():
    fixup = DjangoWorkerFixup(app)
    connection.ensure_connection()
    opened = connection.connection
    for _ in range(10):
        _around_a_task(fixup)
        connection.ensure_connection()
    assert connection.connection is opened


def test_an_old_or_broken_connection_is_closed_between_tasks():
    fixup = DjangoWorkerFixup(app)
    connection.ensure_connection()
    connection.close_at = time.monotonic() - 1  # older than CONN_MAX_AGE
    _around_a_task(fixup)
    assert connection.connection is None
    connection.ensure_connection()
    opened = connection.connection
    connection.errors_occurred = True
    connection.connection.close()  # the server went away
    _around_a_task(fixup)
    assert connection.connection is not opened
