"""Certificate PDFs through one real Celery worker beside WeasyPrint alone. Rerun: `make benchmark-pdf`.

    REDIS_URL=redis://… DATABASE_URL=postgres://… python manage.py benchmark_pdf --renders 60

Needs a seeded database (`seed_demo`: it issues certificates) and Redis. It copies one issued
certificate --renders times (queued, new numbers, in this database only), then, on the same HTML:
1. WeasyPrint alone, in this process, with the shared fonts, stylesheet and fetcher (core/pdf.py);
2. one real worker process (`celery worker -Q pdf --concurrency 1`, started here) rendering, signing
   and storing every copy through the task, from the first message sent to the last row ready;
3. WeasyPrint alone again (the machine may be shared: the two alone runs bracket the worker's).
It prints both rates and the ratio (target: the worker at ≥ 0.8× WeasyPrint alone), writes them
into docs/benchmarks.md, and deletes the copies and their files.
"""

import os
import signal
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Max, Min
from django.template.loader import render_to_string
from django.utils import timezone

TARGET = 0.8
DOC = Path(settings.BASE_DIR) / "docs" / "benchmarks.md"
START, END = "<!-- benchmark-pdf:start -->", "<!-- benchmark-pdf:end -->"


class Command(BaseCommand):
    help = "Time certificate PDFs through one real Celery worker against WeasyPrint alone on the same HTML."

    def add_arguments(self, parser):
        parser.add_argument("--renders", type=int, default=60)
        parser.add_argument("--no-doc", action="store_true", help="do not rewrite docs/benchmarks.md")

    def handle(self, *args, renders, no_doc, **options):
        from certificates import rendering
        from certificates.models import Certificate
        from core.pdf import render_html_pdf, warm_up

        if settings.CELERY_TASK_ALWAYS_EAGER:
            raise CommandError("Set REDIS_URL: the worker is a real one, fed through Redis.")
        sample = (
            Certificate.objects.filter(application__isnull=False, revoked_at__isnull=True, sequence__isnull=False)
            .select_related("district", "stream__year")
            .first()
        )
        if sample is None:
            raise CommandError("No issued certificate to copy: run `manage.py seed_demo` first.")
        warmup = 5
        copies = self._copies(sample, renders + warmup)
        html = render_to_string("certificates/pdf/certificate.html", rendering.context_for(copies[0]))
        warm_up(rendering.STYLESHEET)
        loads = [os.getloadavg()[0]]
        worker = self._start_worker()
        try:
            alone_before = self._alone(lambda: render_html_pdf(html, stylesheet=rendering.STYLESHEET), renders)
            self._through_worker(copies[:warmup])  # the child's first tasks (imports, connection)
            loads.append(os.getloadavg()[0])
            worker_rate = self._through_worker(copies[warmup:])
            loads.append(os.getloadavg()[0])
            alone_after = self._alone(lambda: render_html_pdf(html, stylesheet=rendering.STYLESHEET), renders)
            loads.append(os.getloadavg()[0])
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                worker.kill()
            self._remove(copies)
        alone = statistics.mean([alone_before, alone_after])
        ratio = worker_rate / alone
        met = "met" if ratio >= TARGET else "**not met**"
        text = (
            f"{renders} certificates (Kazakh and Russian, QR code), {timezone.localdate():%Y-%m-%d}, "
            f"{os.cpu_count()} cores, load average (1 min) {', '.join(f'{x:.1f}' for x in loads)} "
            "(start, after the warm-up, after the worker, at the end).\n\n"
            "| how | PDFs per second | per PDF, ms |\n| --- | --- | --- |\n"
            f"| WeasyPrint alone, same HTML, shared set-up (before the worker) | {alone_before:.2f} "
            f"| {1000 / alone_before:.0f} |\n"
            f"| WeasyPrint alone (after the worker) | {alone_after:.2f} | {1000 / alone_after:.0f} |\n"
            f"| one Celery worker process, `pdf` queue: task, template, QR code, WeasyPrint, signature, "
            f"file, database | {worker_rate:.2f} | {1000 / worker_rate:.0f} |\n\n"
            f"Worker / WeasyPrint alone: **{ratio:.2f}** (target ≥ {TARGET}: {met}).\n"
        )
        self.stdout.write(text)
        if not no_doc:
            doc = DOC.read_text(encoding="utf-8")
            if START in doc and END in doc:
                head, rest = doc.split(START, 1)
                DOC.write_text(f"{head}{START}\n{text}{END}{rest.split(END, 1)[1]}", encoding="utf-8")

    def _copies(self, sample, count: int) -> list:
        """Queued copies of one certificate, with numbers and IINs of their own (e-mail marked sent)."""
        from certificates.models import Certificate

        top = Certificate.objects.filter(year=sample.year).aggregate(top=Max("sequence"))["top"] or 0
        now = timezone.now()
        rows = []
        for n in range(1, count + 1):
            sequence = top + 100_000 + n
            rows.append(
                Certificate(
                    **{
                        field.attname: getattr(sample, field.attname)
                        for field in Certificate._meta.concrete_fields
                        if not field.primary_key
                    }
                )
            )
            row = rows[-1]
            row.code = uuid.uuid4()
            row.sequence = sequence
            row.number = f"BENCH-{sample.year}-{sequence:07d}"
            row.iin = f"99{sequence:010d}"[-12:]
            row.file = ""
            row.sha256 = ""
            row.render_state = Certificate.Render.QUEUED
            row.render_attempts = 0
            row.render_started_at = now
            row.rendered_at = None
            row.emailed_at = now
        created = Certificate.objects.bulk_create(rows)
        return list(
            Certificate.objects.filter(pk__in=[c.pk for c in created])
            .select_related("district", "stream__year")
            .order_by("pk")
        )

    def _remove(self, copies) -> None:
        from certificates.models import Certificate

        for row in Certificate.objects.filter(pk__in=[c.pk for c in copies]).exclude(file=""):
            default_storage.delete(row.file.name)
        Certificate.objects.filter(pk__in=[c.pk for c in copies]).delete()

    def _alone(self, render, count: int) -> float:
        render()
        started = time.perf_counter()
        for _ in range(count):
            render()
        return count / (time.perf_counter() - started)

    def _start_worker(self) -> subprocess.Popen:
        from bastau.celery import app

        name = f"bench-pdf-{os.getpid()}@localhost"
        command = [sys.executable, "-m", "celery", "-A", "bastau", "worker", "-Q", "pdf", "--concurrency", "1"]
        command += ["-n", name, "--without-gossip", "--without-mingle", "--loglevel", "WARNING"]
        worker = subprocess.Popen(command, cwd=settings.BASE_DIR, env=os.environ.copy())  # noqa: S603
        for _ in range(120):
            if worker.poll() is not None:
                raise CommandError("the Celery worker did not start")
            if app.control.ping(destination=[name], timeout=0.5):
                return worker
        worker.kill()
        raise CommandError("the Celery worker did not answer within a minute")

    def _through_worker(self, rows) -> float:
        """PDFs per second: from the first message sent to the last row marked ready."""
        from certificates.models import Certificate
        from certificates.tasks import render_certificate_task

        ids = [row.pk for row in rows]
        connection.close()  # the rows are committed; poll on a fresh connection
        started = timezone.now()
        for pk in ids:
            render_certificate_task.delay(pk)
        deadline = time.monotonic() + 60 + 10 * len(ids)
        done = Certificate.objects.filter(pk__in=ids, render_state=Certificate.Render.READY)
        while done.count() < len(ids):
            if time.monotonic() > deadline:
                states = list(Certificate.objects.filter(pk__in=ids).values_list("render_state", "render_error")[:3])
                raise CommandError(f"the worker did not finish in time: {states}")
            time.sleep(0.2)
        finished = done.aggregate(last=Max("rendered_at"), first=Min("rendered_at"))["last"]
        return len(ids) / (finished - started).total_seconds()
