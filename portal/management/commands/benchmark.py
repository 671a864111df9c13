"""Measure the busiest pages at national scale. Rerun: `make benchmark` (PostgreSQL recommended).

1. fill the database up to --applications applications spread over every district (once);
2. time the employment centre's queue, a status page and a list PDF with Django's test client;
3. print a Markdown table (and write it to --out).
"""

import datetime
import random
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from applications import exports, selectors
from applications.iin import make_iin
from applications.models import ApplicantList, Application, Status
from geography.models import District


class Command(BaseCommand):
    help = "Fill the database with many applications and time the queue, status page and list PDF."

    def add_arguments(self, parser):
        parser.add_argument("--applications", type=int, default=100_000)
        parser.add_argument("--requests", type=int, default=30)
        parser.add_argument("--out", default="")

    def handle(self, *args, applications, requests, out, **options):
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        centre = User.objects.get(username="centre")
        self._fill(applications)
        client = Client()
        client.force_login(centre, backend="accounts.backends.PhoneOrEmailBackend")
        district_count = Application.objects.filter(district=centre.organisation.district).count()
        sample = Application.objects.filter(district=centre.organisation.district, changes__isnull=False).first()
        rows = [
            self._time(client, "queue, first page", reverse("applications:queue"), requests),
            self._time(
                client,
                "queue, waiting > 14 days, sorted by name",
                reverse("applications:queue") + "?waiting=14&ordering=name",
                requests,
            ),
            self._time(
                client, 'queue, search matching every row ("Тест")', reverse("applications:queue") + "?q=Тест", requests
            ),
            self._time(
                client,
                "queue, search by part of one surname",
                reverse("applications:queue") + "?q=тестов1234",
                requests,
            ),
            self._time(client, "status page", reverse("applications:status", args=[sample.code]), requests),
        ]
        applicant_list = ApplicantList.objects.filter(district=centre.organisation.district).first()
        if applicant_list:
            members = list(selectors.list_rows(applicant_list))
            exports.list_pdf(applicant_list, members)  # warm the shared font configuration
            started = time.perf_counter()
            for _ in range(5):
                exports.list_pdf(applicant_list, members)
            pdf_ms = (time.perf_counter() - started) / 5 * 1000
            rows.append((f"list PDF ({len(members)} rows), in-process", f"{pdf_ms:.0f}", "-", "-"))
        total = Application.objects.count()
        header = (
            f"Database: {connection.vendor}, {total:,} applications, {district_count:,} in the measured district; "
            f"{requests} requests each, after one warm-up; {timezone.localdate():%Y-%m-%d}.\n\n"
            "| page | median ms | p90 ms | SQL queries |\n| --- | --- | --- | --- |\n"
        )
        table = header + "\n".join(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows) + "\n"
        self.stdout.write(table)
        if out:
            Path(out).write_text(table, encoding="utf-8")

    def _time(self, client, label, url, requests):
        client.get(url)
        timings = []
        for _ in range(requests):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
        timings.sort()
        return (
            label,
            f"{statistics.median(timings):.1f}",
            f"{timings[int(len(timings) * 0.9) - 1]:.1f}",
            str(len(ctx.captured_queries)),
        )

    def _fill(self, target):
        existing = Application.objects.count()
        if existing >= target:
            return
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
