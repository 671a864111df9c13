"""A real Celery worker on Redis runs tasks end to end (not eager mode)."""

import os

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.urls import reverse

from bastau.celery import app
from core.tasks import send_email_task

REDIS = os.environ.get("REDIS_URL")
pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not REDIS, reason="Redis is not reachable (REDIS_URL unset)"),
]


@pytest.fixture
def redis_worker(transactional_db):
    """Stop running tasks in-process and start a worker thread on the Redis broker."""
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker
    app.conf.task_always_eager = True


def test_a_real_worker_sends_an_e_mail_queued_through_redis(redis_worker):
    mail.outbox = []
    result = send_email_task.delay(["citizen@example.kz"], "Bastau", "Сәлеметсіз бе!")
    assert result.get(timeout=20) == 1
    assert [m.subject for m in mail.outbox] == ["Bastau"]
    assert mail.outbox[0].body == "Сәлеметсіз бе!"


def test_health_sees_the_broker_and_the_running_worker(redis_worker, client):
    data = client.get(reverse("core:health")).json()
    assert data["broker"] == {"ok": True}
    assert data["workers"]["ok"] and data["workers"]["count"] >= 1
