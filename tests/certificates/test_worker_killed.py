"""A PDF worker SIGKILLed in the middle of rendering a group's certificates: after the sweeper queues
what it left, another worker finishes them, and each participant has exactly one certificate and one
number, numbers without gaps; the killed worker's own message, delivered again, changes nothing.

Real Celery workers in subprocesses on Redis, consuming the `pdf` queue as production does.
"""

import datetime
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from bastau.celery import app
from tests.workers import until, worker_process

REDIS = os.environ.get("REDIS_URL")
PARTICIPANTS = 12
pytestmark = [
    pytest.mark.worker,
    pytest.mark.slow,
    pytest.mark.skipif(not REDIS, reason="Redis is not reachable (REDIS_URL unset)"),
]


@pytest.mark.django_db(transaction=True)
def test_a_pdf_worker_killed_mid_render_leaves_one_certificate_and_number_each(
    tmp_path, district, stream, chamber_user
):
    if connection.vendor != "postgresql":
        pytest.skip("the workers share the PostgreSQL test database")
    from certificates import services
    from certificates.models import Certificate
    from core import jobs
    from tests.factories import make_defended

    apps, group = make_defended(district, stream, PARTICIPANTS)
    app.conf.task_always_eager = False
    app.control.purge()
    first = worker_process("killed", tmp_path / "first.log", args=("--pool=solo", "-Q", "pdf"))
    second = None
    try:
        services.certificates_issue_for_group(actor=chamber_user, group_id=group.pk)  # queued to "pdf"
        rendering = Certificate.objects.filter(render_state=Certificate.Render.RENDERING)
        # Wait until the worker has finished a few and is in the middle of another one, then kill it.
        until(
            lambda: (
                Certificate.objects.filter(render_state=Certificate.Render.READY).count() >= 2 and rendering.exists()
            ),
            120,
            "the first worker to be mid-render",
        )
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
        killed = list(rendering.values_list("pk", flat=True))
        assert len(killed) == 1  # frozen in "rendering": its transaction died with the worker
        done_before = Certificate.objects.filter(render_state=Certificate.Render.READY).count()
        assert done_before < PARTICIPANTS

        second = worker_process("rescuer", tmp_path / "second.log", args=("--pool=solo", "-Q", "pdf"))
        started = time.monotonic()
        # Beat runs the sweeper every minute; a PDF counts as stuck CERTIFICATE_RENDER_STUCK_SECONDS after
        # its try began. Age the killed one rather than wait (the queued ones go to the second worker anyway).
        Certificate.objects.filter(pk__in=killed).update(
            render_started_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
        )
        assert jobs.sweep(["certificates.pdf"])["certificates.pdf"]["requeued"] == 1
        until(
            lambda: Certificate.objects.filter(render_state=Certificate.Render.READY).count() == PARTICIPANTS,
            120,
            "the second worker to render every certificate",
        )
        rescued_in = time.monotonic() - started

        # The killed worker's own message comes back after the visibility timeout: it finds the PDF ready.
        result = app.send_task(
            "certificates.tasks.render_certificate_task", args=[killed[0]], queue="pdf", ignore_result=False
        )
        assert result.get(timeout=30) == "skipped"
        assert sorted(Certificate.objects.values_list("application_id", flat=True)) == sorted(a.pk for a in apps)
        assert sorted(Certificate.objects.values_list("sequence", flat=True)) == list(range(1, PARTICIPANTS + 1))
        rescued = Certificate.objects.get(pk=killed[0])
        assert rescued.render_attempts == 2 and rescued.file.read().startswith(b"%PDF-")
        files = list((Path(settings.MEDIA_ROOT) / "certificates").rglob("*.pdf"))
        assert len(files) == PARTICIPANTS  # one file each: the killed try wrote none or the same name
        print(f"killed after {done_before} of {PARTICIPANTS}; rescued and finished {rescued_in:.1f} s later")
    finally:
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(15)
                except subprocess.TimeoutExpired:
                    worker.kill()
        app.conf.task_always_eager = True
