"""How many certificates one PDF worker process renders per minute (docs/performance.md).

A real worker in a subprocess, as production starts it (prefork, one process, `-Q pdf`, WeasyPrint set
up at the process's start), renders a group's certificates; the rate is read from the rows' own
times (first try begun → last PDF ready). Marked slow; prints the figure.
"""

import os
import subprocess
import time

import pytest
from django.db import connection
from django.db.models import Max, Min

from bastau.celery import app
from tests.workers import worker_process

REDIS = os.environ.get("REDIS_URL")
COUNT = 30
pytestmark = [
    pytest.mark.worker,
    pytest.mark.slow,
    pytest.mark.skipif(not REDIS, reason="Redis is not reachable (REDIS_URL unset)"),
]


@pytest.mark.django_db(transaction=True)
def test_one_pdf_worker_process_renders_a_group_and_the_rate_is_recorded(tmp_path, district, stream, chamber_user):
    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the PostgreSQL test database")
    from certificates import services
    from certificates.models import Certificate
    from tests.factories import make_defended

    _apps, group = make_defended(district, stream, COUNT)
    app.conf.task_always_eager = False
    app.control.purge()
    worker = worker_process("throughput", tmp_path / "w.log", args=("-Q", "pdf", "--concurrency=1"), loglevel="WARNING")
    try:
        time.sleep(8)  # started and warmed up (worker_process_init) before the work arrives
        services.certificates_issue_for_group(actor=chamber_user, group_id=group.pk)
        deadline = time.monotonic() + 300
        ready = Certificate.objects.filter(render_state=Certificate.Render.READY)
        while ready.count() < COUNT and time.monotonic() < deadline:
            time.sleep(0.2)
        assert ready.count() == COUNT
        span = Certificate.objects.aggregate(first=Min("render_started_at"), last=Max("rendered_at"))
        seconds = (span["last"] - span["first"]).total_seconds()
        print(f"one worker process: {COUNT} certificates in {seconds:.1f} s, {60 * COUNT / seconds:.0f} per minute")
    finally:
        worker.terminate()
        try:
            worker.wait(15)
        except subprocess.TimeoutExpired:
            worker.kill()
        app.conf.task_always_eager = True
