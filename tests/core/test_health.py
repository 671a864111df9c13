import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_health_reports_database_cache_and_celery_without_login(client):
    response = client.get(reverse("core:health"))
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "ok"
    assert data["database"]["ok"] and data["cache"]["ok"]
    assert data["broker"]["mode"].startswith("eager")


def test_health_answers_503_when_the_cache_is_down(client, monkeypatch):
    from portal import health

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(health.cache, "set", broken)
    response = client.get(reverse("core:health"))
    assert response.status_code == 503
    assert response.json()["cache"] == {"ok": False, "error": "ConnectionError"}
