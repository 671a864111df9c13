"""What the tests that start real Celery worker processes share: the process, on the test databases."""

import contextlib
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def worker_process(name: str, log: Path, *, args=("--pool=solo",), loglevel="INFO") -> subprocess.Popen:
    """`celery worker` in a subprocess, as production starts it, on this test's PostgreSQL database and
    the test process's Redis (REDIS_URL), with its media folder and signing pair; e-mail and SMS to the
    console. `args` carries the pool, queues (`-Q pdf`) or concurrency."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": os.environ["REDIS_URL"],
        "DEBUG": "1",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CERTIFICATE_SIGNING_KEY": settings.CERTIFICATE_SIGNING_KEY,
        "CERTIFICATE_SIGNING_CERT": settings.CERTIFICATE_SIGNING_CERT,
        "CERTIFICATE_SIGNING_PASSPHRASE": settings.CERTIFICATE_SIGNING_PASSPHRASE,
        "EMAIL_URL": "consolemail://",
        "SMS_BACKEND": "core.sms.ConsoleSmsBackend",
    }
    command = [sys.executable, "-m", "celery", "-A", "bastau", "worker", *args, "-n", f"{name}@%h"]
    command += ["--without-gossip", "--without-mingle", f"--loglevel={loglevel}"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)  # noqa: S603


@contextlib.contextmanager
def worker_thread(app, **options):
    """celery.contrib.testing's worker in a thread of this process (`start_worker`, pool solo). A worker
    keeps its database connection from task to task (bastau/celery.py); a thread of the tests ends without
    closing it, and the test database could not be dropped at the end of the run: closed here."""
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun
    from django.db import connections

    opened = []

    def keep(**kwargs):
        if threading.current_thread() is not threading.main_thread():
            opened.extend(connections.all(initialized_only=True))

    task_postrun.connect(keep, weak=False)
    try:
        with start_worker(app, **options) as worker:
            yield worker
    finally:
        task_postrun.disconnect(keep)
        for wrapper in opened:
            if wrapper.connection is not None:
                wrapper.connection.close()


def until(condition, seconds: float, what: str, *, step: float = 0.05):
    """Wait for condition() to be truthy and return it; fail the test after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(step)
    raise AssertionError(f"timed out waiting for {what}")
