"""Measure the busiest staff pages at national scale against a floor. Rerun: `make benchmark`.

1. fill the database up to --applications applications spread over every district (once);
2. serve the portal with gunicorn (2 workers, DEBUG off, persistent connections) and load each page
   with wrk (16 connections), each right after the floor: a bare view of this module rendering 30
   applications from one query behind the same middleware (not in the product's URLs);
3. print each page's throughput, its ratio to the floor measured beside it, the load average and the
   target (≤ 4× the floor), and write the table to --out and into docs/benchmarks.md.

The machine may be shared: ratios measured in the same run are what counts, not requests per second.
"""

import datetime
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.http import HttpResponse
from django.template import engines
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, reverse
from django.utils import timezone

from accounts.models import User
from applications import exports, selectors
from applications.iin import make_iin
from applications.models import ApplicantList, Application, Status
from geography.models import District

TARGET = 4.0  # a staff list page at most this many times the floor's time per request
DOC = Path(settings.BASE_DIR) / "docs" / "benchmarks.md"
START, END = "<!-- benchmark:start -->", "<!-- benchmark:end -->"

FLOOR_TEMPLATE = """<!doctype html><html><head><title>floor</title></head><body><table>
{% for a in rows %}<tr><td>{{ a.number }}</td><td>{{ a.last_name }} {{ a.first_name }}</td>
<td>{{ a.status }}</td><td>{{ a.submitted_at|date:"d.m.Y" }}</td></tr>{% endfor %}
</table></body></html>"""


def floor(request):
    """The floor: 30 applications from one query in a small template, behind the portal's middleware."""
    rows = Application.objects.order_by("-pk")[:30]
    return HttpResponse(engines["django"].from_string(FLOOR_TEMPLATE).render({"rows": rows}, request))


urlpatterns = [path("__floor__/", floor), path("", include("bastau.urls"))]


class Command(BaseCommand):
    help = "Fill the database with many applications and time the staff pages against a bare floor view."

    def add_arguments(self, parser):
        parser.add_argument("--applications", type=int, default=100_000)
        parser.add_argument("--seconds", type=int, default=5, help="wrk's duration for each page and floor")
        parser.add_argument("--rounds", type=int, default=2)
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--only", default="", help="measure only pages whose label contains this")
        parser.add_argument("--out", default="")
        parser.add_argument("--no-doc", action="store_true", help="do not rewrite docs/benchmarks.md")

    def handle(self, *args, applications, seconds, rounds, connections, workers, only, out, no_doc, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Run the benchmark on PostgreSQL (set DATABASE_URL; `make benchmark` does).")
        if not shutil.which("wrk"):
            raise CommandError("wrk is not installed (`apt-get install wrk`; `make benchmark` installs it).")
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        # The server's key signs the sessions made here too (a session carries a hash made with it).
        self.secret_key = settings.SECRET_KEY = secrets.token_urlsafe(40)
        self._fill(applications)
        pages = self._pages()
        if only:
            pages = [p for p in pages if only in p[0]]
        counts = {label: self._queries(user, url, headers) for label, user, url, headers in pages}
        cookies = {user: self._session(user) for user in {p[1] for p in pages} | {"centre"}}
        port = _free_port()
        server = self._serve(port, workers)
        base = f"http://127.0.0.1:{port}"
        results: dict[str, list[tuple[float, float]]] = {label: [] for label, *_ in pages}
        loads = [os.getloadavg()]
        try:
            for _label, user, url, headers in pages:  # each answers 200 before it is timed
                _get(base + url, {"Cookie": cookies[user], **headers})
            for round_ in range(rounds):  # the floor right before each page, so both meet the same load
                for label, user, url, headers in pages:
                    floor_rps = _wrk(base + "/__floor__/", {"Cookie": cookies[user]}, seconds, connections)
                    page_rps = _wrk(base + url, {"Cookie": cookies[user], **headers}, seconds, connections)
                    results[label].append((floor_rps, page_rps))
                    self.stderr.write(f"round {round_ + 1}, {label}: floor {floor_rps:.0f}/s, page {page_rps:.0f}/s")
                loads.append(os.getloadavg())
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        table = self._table(pages, results, counts, loads, seconds, connections, workers, rounds)
        table += self._list_pdf()
        self.stdout.write(table)
        if out:
            Path(out).write_text(table, encoding="utf-8")
        if not no_doc and not only:
            text = DOC.read_text(encoding="utf-8")
            if START in text and END in text:
                head, rest = text.split(START, 1)
                DOC.write_text(f"{head}{START}\n{table}{END}{rest.split(END, 1)[1]}", encoding="utf-8")

    # --- what is measured ------------------------------------------------------------------------

    def _pages(self) -> list[tuple[str, str, str, dict]]:
        """(label, user, path, headers) of every staff list page and API list measured."""
        centre = User.objects.get(username="centre")
        sample = Application.objects.filter(district=centre.organisation.district, changes__isnull=False).first()
        api = {"Authorization": f"Bearer {self._token(centre)}"}
        queue = reverse("applications:queue")
        return [
            ("centre's queue, first page", "centre", queue, {}),
            ("queue, waiting > 14 days, sorted by name", "centre", queue + "?waiting=14&ordering=name", {}),
            ("queue, search by part of one surname", "centre", queue + "?q=" + quote("тестов1234"), {}),
            ("queue, page 400", "centre", queue + "?page=400", {}),
            ("API: application list", "centre", reverse("api:application-list"), api),
            ("lists for the Chamber", "centre", reverse("applications:lists"), {}),
            ("programme dashboard (district)", "centre", reverse("reports:dashboard"), {}),
            ("programme dashboard (national)", "analyst", reverse("reports:dashboard"), {}),
            ("commission queue", "commission", reverse("commissions:queue"), {}),
            ("training groups", "chamber", reverse("training:groups"), {}),
            ("lender inbox", "finance", reverse("financing:inbox"), {}),
            ("status page (staff)", "centre", reverse("applications:status", args=[sample.code]), {}),
        ]

    def _token(self, user) -> str:
        from api.models import ApiToken

        ApiToken.objects.filter(user=user, name="benchmark").delete()
        return ApiToken.issue(user=user, name="benchmark")[1]

    def _session(self, username: str) -> str:
        client = Client()
        client.force_login(User.objects.get(username=username), backend="accounts.backends.PhoneOrEmailBackend")
        return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    def _queries(self, username: str, url: str, headers: dict) -> int:
        client = Client(headers=headers)
        if not headers:
            client.force_login(User.objects.get(username=username), backend="accounts.backends.PhoneOrEmailBackend")
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        return len(ctx.captured_queries)

    def _serve(self, port: int, workers: int) -> subprocess.Popen:
        env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": self.secret_key,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": os.environ.get("DATABASE_URL", ""),
        }
        # DEBUG off serves the collected, hashed static files (WhiteNoise), as in production.
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, check=True)  # noqa: S603
        command = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}"]
        command += [
            "--access-logfile",
            "/dev/null",
            "--log-level",
            "warning",
            "portal.management.commands._benchmark_wsgi:application",
        ]
        server = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR)  # noqa: S603  our own command
        for _ in range(300):
            try:
                _get(f"http://127.0.0.1:{port}/health/", {})
                return server
            except OSError:
                if server.poll() is not None:
                    raise CommandError("gunicorn did not start") from None
                time.sleep(0.1)
        server.kill()
        raise CommandError("gunicorn did not answer within 30 s")

    def _table(self, pages, results, counts, loads, seconds, connections, workers, rounds) -> str:
        total = Application.objects.count()
        district = User.objects.get(username="centre").organisation.district
        in_district = Application.objects.filter(district=district).count()
        load_text = ", ".join(f"{a:.1f}" for a, _b, _c in loads)
        lines = [
            f"Database: PostgreSQL, {total:,} applications, {in_district:,} in the measured district; "
            f"gunicorn --workers {workers}, wrk -c{connections} for {seconds} s per page, each page right after "
            f"the floor (a bare view: 30 applications from one query in a small template, same middleware), "
            f"{rounds} rounds; {timezone.localdate():%Y-%m-%d}. Load average (1 min) at the start and after "
            f"each round: {load_text} on {os.cpu_count()} cores.",
            "",
            "| page | floor req/s | page req/s | × floor, each round | × floor (median) | target | SQL queries |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for label, *_ in pages:
            pairs = results[label]
            ratios = [f / max(p, 0.01) for f, p in pairs]
            median = statistics.median(ratios)
            met = "met" if median <= TARGET else "**not met**"
            floor_rps = statistics.median(f for f, _ in pairs)
            page_rps = statistics.median(p for _, p in pairs)
            each = " / ".join(f"{r:.1f}" for r in ratios)
            lines.append(
                f"| {label} | {floor_rps:.0f} | {page_rps:.0f} | {each} | {median:.1f} | ≤ {TARGET:.0f}× {met} "
                f"| {counts[label]} |"
            )
        return "\n".join(lines) + "\n"

    def _list_pdf(self) -> str:
        district = User.objects.get(username="centre").organisation.district
        applicant_list = ApplicantList.objects.filter(district=district).first()
        if not applicant_list:
            return ""
        members = list(selectors.list_rows(applicant_list))
        exports.list_pdf(applicant_list, members)  # warm the shared font configuration
        started = time.perf_counter()
        for _ in range(5):
            exports.list_pdf(applicant_list, members)
        pdf_ms = (time.perf_counter() - started) / 5 * 1000
        return f"\nList PDF for the Chamber ({len(members)} rows), in-process: {pdf_ms:.0f} ms.\n"

    def _fill(self, target):
        existing = Application.objects.count()
        if existing < target:
            self._insert(existing, target)
        # Fresh rows have no statistics and no visibility map (autovacuum would come later): without
        # them PostgreSQL guesses one row per district and counts through the heap.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    def _insert(self, existing, target):
        districts = list(District.objects.values_list("pk", "region_id"))
        centre_district = User.objects.get(username="centre").organisation.district
        rng = random.Random(2026)  # noqa: S311  repeatable data, not security
        now = timezone.now()
        batch, serial = [], existing
        statuses = [Status.SUBMITTED] * 5 + [Status.INELIGIBLE, Status.WITHDRAWN]
        for n in range(target - existing):
            # One district in ten rows is the measured one, so its queue is national-scale too.
            district_id, region_id = (
                (centre_district.pk, centre_district.region_id) if n % 10 == 0 else rng.choice(districts)
            )
            serial += 1
            # 9,000 serials per birth date, then the next date: every IIN is distinct.
            birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=(serial // 9000) * 11)
            batch.append(
                Application(
                    iin=make_iin(birth, "M", serial % 9000),
                    number=f"BM-{serial:08d}",
                    last_name=f"Тестов{serial}",
                    first_name="Асан",
                    birth_date=birth,
                    sex="M",
                    phone=f"+7707{serial:07d}",
                    district_id=district_id,
                    region_id=region_id,
                    employment_status="unemployed",
                    education="secondary",
                    business_idea="-",
                    sector="trade",
                    is_citizen_confirmed=True,
                    consent_version="2026-11",
                    consent_given_at=now,
                    channel="online",
                    status=rng.choice(statuses),
                    submitted_at=now - datetime.timedelta(days=rng.randint(0, 60)),
                )
            )
            if len(batch) == 5000:
                Application.objects.bulk_create(batch, ignore_conflicts=True)
                batch = []
        Application.objects.bulk_create(batch, ignore_conflicts=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, headers: dict) -> None:
    request = urllib.request.Request(url, headers={"Host": "127.0.0.1", **headers})  # noqa: S310  our own server
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        if response.status != 200 or response.url != url:
            raise CommandError(f"{url} answered {response.status} ({response.url})")


def _wrk(url: str, headers: dict, seconds: int, connections: int) -> float:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    if "Non-2xx" in output:
        raise CommandError(f"{url}: some answers were not 200\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
