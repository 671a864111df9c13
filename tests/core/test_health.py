"""/health/: a cheap public answer; the details for a token or a staff login (issue 9)."""

import time

import pytest
from django.urls import reverse

from bastau.celery import app as celery_app
from core import heartbeat
from portal import health

pytestmark = pytest.mark.django_db
TOKEN = "health-token-for-tests-0123456789"


@pytest.fixture(autouse=True)
def _token(settings):
    settings.HEALTH_TOKEN = TOKEN
    health._liveness["at"] = -health.LIVENESS_SECONDS  # a fresh process


def _detailed(client, **kwargs):
    return client.get(reverse("portal:health"), HTTP_AUTHORIZATION=f"Bearer {TOKEN}", **kwargs)


def test_the_public_answer_says_only_ok(client):
    response = client.get(reverse("portal:health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_the_token_gives_the_database_cache_broker_and_workers(client):
    data = _detailed(client).json()
    assert data["status"] == "ok"
    assert data["database"]["ok"] and data["cache"]["ok"]
    assert data["broker"]["mode"].startswith("eager")
    assert set(data) == {"status", "database", "cache", "broker", "workers"}


def test_a_wrong_token_gets_the_public_answer(client):
    response = client.get(reverse("portal:health"), HTTP_AUTHORIZATION="Bearer wrong")
    assert response.json() == {"status": "ok"}


def test_a_staff_login_gets_the_details(admin_client):
    assert "database" in admin_client.get(reverse("portal:health")).json()


def test_the_detailed_answer_is_503_when_the_cache_is_down(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(health.cache, "set", broken)
    response = _detailed(client)
    assert response.status_code == 503
    assert response.json()["cache"] == {"ok": False, "error": "ConnectionError"}


def test_the_public_answer_is_503_when_the_database_is_down(client, monkeypatch):
    monkeypatch.setattr(health, "_check_database", lambda: {"ok": False, "error": "OperationalError"})
    response = client.get(reverse("portal:health"))
    assert response.status_code == 503 and response.json() == {"status": "error"}


def test_hammering_health_never_calls_celery_control_or_the_broker_and_stays_under_10_ms(client, monkeypatch):
    celery_app.conf.task_always_eager = False  # as in production, with a broker
    calls = []

    def forbidden(*args, **kwargs):
        calls.append(args)
        raise AssertionError("no broker call from the public /health/")

    monkeypatch.setattr(celery_app.control, "ping", forbidden)
    monkeypatch.setattr(celery_app.control, "inspect", forbidden)
    monkeypatch.setattr(celery_app, "connection_for_write", forbidden)
    database_checks = []
    real_check = health._check_database
    monkeypatch.setattr(health, "_check_database", lambda: database_checks.append(1) or real_check())
    url = reverse("portal:health")
    client.get(url)  # the first request of a process checks the database
    timings = []
    for _ in range(200):
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        timings.append(time.perf_counter() - started)
    timings.sort()
    assert calls == []
    assert len(database_checks) == 1  # cached for LIVENESS_SECONDS
    assert timings[len(timings) // 2] < 0.010, f"median {timings[len(timings) // 2] * 1000:.1f} ms"


def test_workers_are_counted_from_their_heartbeats_not_a_ping(client, monkeypatch):
    celery_app.conf.task_always_eager = False
    monkeypatch.setattr(health, "_check_broker", lambda: {"ok": True})
    monkeypatch.setattr(celery_app.control, "ping", lambda *a, **k: pytest.fail("pinged the workers"))
    assert _detailed(client).json()["workers"] == {"ok": False, "count": 0}
    heartbeat.beat("celery@one")
    heartbeat.beat("celery@two")
    assert _detailed(client).json()["workers"] == {"ok": True, "count": 2}
    heartbeat.forget("celery@two")
    assert _detailed(client).json()["workers"] == {"ok": True, "count": 1}


def test_the_heartbeat_thread_beats_until_stopped():
    import threading

    stop = threading.Event()
    thread = heartbeat.start("celery@thread", stop)
    deadline = time.monotonic() + 2
    while "celery@thread" not in heartbeat.alive_workers() and time.monotonic() < deadline:
        time.sleep(0.01)
    stop.set()
    thread.join(2)
    assert "celery@thread" in heartbeat.alive_workers() and not thread.is_alive()
