"""A real Celery worker on Redis builds a queued export end to end (not eager mode)."""

import os

import pytest
from django.urls import reverse

from reports.models import ExportJob
from tests.test_worker import _wait_until, redis_worker  # noqa: F401  the worker fixture

REDIS = os.environ.get("REDIS_URL")
pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not REDIS, reason="Redis is not reachable (REDIS_URL unset)"),
]


def test_a_real_worker_builds_the_export_the_page_queued(redis_worker, client):  # noqa: F811
    from accounts.models import Role
    from tests.factories import DistrictFactory, make_application, make_staff

    district = DistrictFactory()
    for _ in range(3):
        make_application(district=district)
    analyst = make_staff(Role.ANALYST, national=True)
    client.force_login(analyst, backend="accounts.backends.PhoneOrEmailBackend")

    response = client.post(reverse("reports:export_start"), {"format": "csv"})
    job = ExportJob.objects.get(owner=analyst)
    assert response.url == reverse("reports:export_job", args=[job.code])
    _wait_until(ExportJob.objects.filter(pk=job.pk, state=ExportJob.State.DONE).exists, what="the export")

    job.refresh_from_db()
    assert (job.total_rows, job.processed_rows) == (3, 3)
    fragment = client.get(response.url, headers={"HX-Request": "true"}).text
    assert "hx-trigger" not in fragment and 'data-testid="export-download"' in fragment
    download = client.get(reverse("reports:export_download", args=[job.code]))
    lines = b"".join(download.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 4
