"""An import whose worker was SIGKILLed mid-run is picked up and finishes exactly once (issue 9).

Real Celery workers in subprocesses on Redis (database 12 under ./scripts/test.sh with
TEST_REDIS_URL): the first is killed with SIGKILL in the middle of the import's transaction, a
second one is started, the sweeper (as beat would run it once the step is IMPORT_STUCK_AFTER
old) queues the import again, and it finishes once; a late copy of the message changes nothing.
"""

import datetime
import os
import signal
import subprocess
import time

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from bastau.celery import app
from tests.workers import until, worker_process

REDIS = os.environ.get("REDIS_URL")
ROWS = 300
pytestmark = [
    pytest.mark.worker,
    pytest.mark.slow,
    pytest.mark.skipif(not REDIS, reason="Redis is not reachable (REDIS_URL unset)"),
]


@pytest.mark.django_db(transaction=True)
def test_an_import_whose_worker_was_killed_finishes_exactly_once(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the workers share the PostgreSQL test database")
    from accounts.models import Role
    from applications import imports
    from applications.models import Application, ImportJob
    from applications.tasks import IMPORT_STUCK_AFTER
    from core import jobs
    from tests.factories import StreamFactory, make_iin, make_staff

    StreamFactory(
        application_opens=timezone.localdate() - datetime.timedelta(days=1),
        application_closes=timezone.localdate() + datetime.timedelta(days=20),
        course_start=timezone.localdate() + datetime.timedelta(days=30),
    )
    staff = make_staff(Role.EMPLOYMENT_CENTRE)
    kato = staff.organisation.district.kato_code
    lines = ["iin,last_name,first_name,phone,district_kato,employment_status,education,sector,business_idea"]
    lines += [f"{make_iin()},Әлиев,Асқар,+7701{n:07d},{kato},unemployed,secondary,trade,Дүкен" for n in range(ROWS)]
    upload = SimpleUploadedFile("register.csv", "\n".join(lines).encode())
    job = imports.import_start(actor=staff, upload=upload, consent_confirmed=True)  # checked in-process
    job.refresh_from_db()
    assert job.state == ImportJob.State.PREVIEW and len(job.valid_rows) == ROWS

    app.conf.task_always_eager = False
    app.control.purge()
    first = worker_process("killed", tmp_path / "first.log")
    second = None
    try:
        imports.import_confirm(job=job, actor=staff)  # queued through Redis to the first worker
        progress = imports._progress_key(job.pk)
        until(lambda: (cache.get(progress) or 0) >= 20, 60, "the first worker to be mid-import")
        started = time.monotonic()
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
        job.refresh_from_db()
        assert job.state == ImportJob.State.IMPORTING  # frozen: its transaction died with the worker
        assert Application.objects.filter(channel="employment_centre").count() == 0  # nothing half-applied

        second = worker_process("rescuer", tmp_path / "second.log")
        # Beat runs the sweeper every 5 minutes; the import counts as stuck IMPORT_STUCK_AFTER after
        # its step was queued. Age the job rather than wait.
        ImportJob.objects.filter(pk=job.pk).update(
            started_at=job.started_at - datetime.timedelta(seconds=IMPORT_STUCK_AFTER + 1)
        )
        assert jobs.sweep(["applications.import"])["applications.import"]["requeued"] == 1
        until(
            lambda: ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.DONE).exists(),
            90,
            "the second worker to finish the import",
        )
        rescued_in = time.monotonic() - started
        job.refresh_from_db()
        assert job.imported_count == ROWS
        assert Application.objects.filter(channel="employment_centre").count() == ROWS

        # The killed worker's own message comes back after the visibility timeout: it finds the job done.
        # Results are ignored by default (settings); this one is kept, to wait for it.
        app.send_task("applications.tasks.import_run_task", args=[job.pk], ignore_result=False).get(timeout=30)
        assert Application.objects.filter(channel="employment_centre").count() == ROWS
        print(f"killed at row >= 20 of {ROWS}; rescued and finished {rescued_in:.1f} s after the kill")
    finally:
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(15)
                except subprocess.TimeoutExpired:
                    worker.kill()
        app.conf.task_always_eager = True
