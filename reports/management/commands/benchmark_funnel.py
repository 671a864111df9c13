"""Time the programme dashboard at national scale. Rerun: `make benchmark-funnel` (PostgreSQL).

1. fill a THROWAWAY database (never the tests', never production) with --applications applications of
   one programme year, spread over every district and the year's six streams, each with its history
   (a StatusChange row per move along a path drawn at random: eligible, tested, trained, defended,
   certified, loans), training groups and places. This writes the rows straight into the tables with
   bulk_create: a national year walked through the services would take hours; the tests build their
   data with the real factories;
2. rebuild the summary rows (reports.funnel.refresh) and time it, and time the live aggregate the
   summary replaces;
3. time the dashboard (country, a region, a district) with Django's test client, in-process;
4. print a Markdown table (and write it to --out).
"""

import datetime
import random
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from applications.iin import make_iin
from applications.models import Application, Status, StatusChange
from geography.models import District
from programme.models import ProgrammeYear, Stream
from reports import funnel
from training.models import GroupMember, TrainingGroup

PREFIX = "BF-"  # numbers of the benchmark's applications, apart from every other command's


def _path(rng: random.Random) -> list[str]:
    """The statuses one application went through, in order (a plausible national mix)."""
    path = [Status.SUBMITTED]
    r = rng.random()
    if r < 0.08:
        return path  # still waiting
    if r < 0.18:
        return [*path, Status.INELIGIBLE]
    path += [Status.ELIGIBLE, Status.LISTED, Status.ACCEPTED]
    if rng.random() < 0.25:
        return [*path, Status.TEST_FAILED]
    path += [Status.PASSED]
    if rng.random() < 0.05:
        return path  # waiting for a group
    path += [Status.PLACED, Status.IN_TRAINING]
    if rng.random() < 0.06:
        path.append(Status.EXPULSION_CASE)
        if rng.random() < 0.6:
            return [*path, Status.EXPELLED]
        path.append(Status.IN_TRAINING)
    path.append(Status.COURSE_FINISHED)
    if rng.random() < 0.85:
        path += [Status.DEFENDED, Status.CERTIFIED]
        if rng.random() < 0.3:
            path.append(Status.LOAN_REQUESTED)
            path.append(Status.LOAN_APPROVED if rng.random() < 0.6 else Status.LOAN_DECLINED)
    else:
        path += [Status.NOT_DEFENDED, Status.PARTICIPATION_CERTIFIED]
    return path


class Command(BaseCommand):
    help = "Fill a throwaway database with a national year of applications and time the dashboard."

    def add_arguments(self, parser):
        parser.add_argument("--applications", type=int, default=150_000)
        parser.add_argument("--year", type=int, default=2025)
        parser.add_argument("--requests", type=int, default=30)
        parser.add_argument("--out", default="")
        parser.add_argument("--no-refresh", action="store_true", help="time the pages on the summary as it is")

    def handle(self, *args, applications, year, requests, out, no_refresh, **options):
        if "test" in connection.settings_dict["NAME"]:
            raise CommandError("Refusing to fill a test database.")
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        self._fill(applications, year)
        rows = []
        if not no_refresh:
            refresh_ms = []
            for _ in range(3):
                started = time.perf_counter()
                log = funnel.refresh()
                refresh_ms.append((time.perf_counter() - started) * 1000)
            rows.append(
                (
                    f"summary refresh ({log.rows:,} rows), 3 runs",
                    f"{statistics.median(refresh_ms):.0f}",
                    f"{min(refresh_ms):.0f}",
                    f"{max(refresh_ms):.0f}",
                    "-",
                )
            )
        year_apps = Application.objects.filter(number__startswith=PREFIX)
        live = []
        for _ in range(3):
            started = time.perf_counter()
            funnel.live_totals(year_apps)
            live.append((time.perf_counter() - started) * 1000)
        rows.append(
            (
                "live aggregate over the history, national totals only (not used by the page)",
                f"{statistics.median(live):.0f}",
                f"{min(live):.0f}",
                f"{max(live):.0f}",
                "1",
            )
        )
        analyst = self._analyst()
        client = Client()
        client.force_login(analyst, backend="accounts.backends.PhoneOrEmailBackend")
        url = reverse("reports:dashboard")
        busiest = (
            year_apps.values("district", "district__region").order_by().annotate(n=Count("pk")).order_by("-n").first()
        )
        rows.append(self._time(client, "dashboard, the country by region", url + f"?year={year}", requests))
        rows.append(
            self._time(
                client,
                "dashboard, a region by district",
                url + f"?year={year}&region={busiest['district__region']}",
                requests,
            )
        )
        rows.append(
            self._time(
                client, "dashboard, a district by group", url + f"?year={year}&district={busiest['district']}", requests
            )
        )
        rows.append(
            self._time(
                client,
                "table export, the country by region (XLSX)",
                reverse("reports:table_export", args=["areas", "xlsx"]) + f"?year={year}",
                requests,
            )
        )
        total = year_apps.count()
        changes = StatusChange.objects.filter(application__number__startswith=PREFIX).count()
        header = (
            f"Database: {connection.vendor}, {total:,} applications of {year} with {changes:,} history rows over "
            f"{District.objects.count()} districts; {requests} requests each after one warm-up; "
            f"{timezone.localdate():%Y-%m-%d}.\n\n"
            "| what | median ms | min ms | max ms | SQL queries |\n| --- | --- | --- | --- | --- |\n"
        )
        table = header + "\n".join(f"| {' | '.join(r)} |" for r in rows) + "\n"
        self.stdout.write(table)
        if out:
            Path(out).write_text(table, encoding="utf-8")

    def _analyst(self) -> User:
        analyst = User.objects.filter(role=Role.ANALYST, organisation__district__isnull=True).first()
        if analyst is None:
            raise CommandError("No national analyst: run `manage.py seed_demo` on this database first.")
        return analyst

    def _time(self, client, label, url, requests):
        if client.get(url).status_code != 200:
            raise CommandError(f"{url} did not answer 200")
        timings = []
        for _ in range(requests):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
        return (
            label,
            f"{statistics.median(timings):.1f}",
            f"{min(timings):.1f}",
            f"{max(timings):.1f}",
            str(len(ctx.captured_queries)),
        )

    def _fill(self, target: int, year: int) -> None:
        existing = Application.objects.filter(number__startswith=PREFIX).count()
        if existing >= target:
            return
        rng = random.Random(2025)  # noqa: S311  repeatable data, not security
        programme_year, _ = ProgrammeYear.objects.get_or_create(year=year)
        streams = []
        for number in range(1, 7):
            opens = datetime.date(year, 2 + number * 1, 1)
            stream, _ = Stream.objects.get_or_create(
                year=programme_year,
                number=number,
                defaults={
                    "application_opens": opens,
                    "application_closes": opens + datetime.timedelta(days=20),
                    "course_start": opens + datetime.timedelta(days=35),
                },
            )
            streams.append(stream)
        districts = list(District.objects.values_list("pk", "region_id"))
        staff = User.objects.filter(role=Role.CHAMBER).first() or User.objects.filter(is_superuser=True).first()
        if staff is None:
            raise CommandError("No staff user to record as the actor: run `manage.py seed_demo` first.")
        groups: dict[tuple[int, int], int] = {}
        with transaction.atomic():
            existing_groups = TrainingGroup.objects.filter(stream__in=streams).values_list(
                "district_id", "stream_id", "pk"
            )
            groups = {(d, s): pk for d, s, pk in existing_groups}
            new_groups = [
                TrainingGroup(
                    stream=stream,
                    district_id=district_id,
                    region_id=region_id,
                    name=f"БФ-{stream.number}",
                    place="-",
                    course_start=stream.course_start,
                    capacity=200,
                    created_by=staff,
                )
                for district_id, region_id in districts
                for stream in streams
                if (district_id, stream.pk) not in groups
            ]
            TrainingGroup.objects.bulk_create(new_groups, batch_size=2000)
            groups.update(
                {
                    (d, s): pk
                    for d, s, pk in TrainingGroup.objects.filter(stream__in=streams).values_list(
                        "district_id", "stream_id", "pk"
                    )
                }
            )
        now = timezone.now()
        serial = existing
        used = set(Application.objects.filter(number__startswith=PREFIX).values_list("iin", flat=True))
        started = time.perf_counter()
        while serial < target:
            batch_size = min(5000, target - serial)
            apps, paths = [], []
            for _ in range(batch_size):
                serial += 1
                district_id, region_id = rng.choice(districts)
                stream = rng.choice(streams)
                path = _path(rng)
                birth = datetime.date(1975, 1, 1) + datetime.timedelta(days=(serial // 9000) * 13)
                submitted = timezone.make_aware(
                    datetime.datetime.combine(stream.application_opens, datetime.time(10))
                ) + datetime.timedelta(days=rng.randint(0, 19), minutes=rng.randint(0, 600))
                iin, bump = make_iin(birth, "F", serial % 9000), 0
                while iin in used:  # the check digit moved it onto a neighbour's serial
                    bump += 1
                    iin = make_iin(birth + datetime.timedelta(days=bump), "F", serial % 9000)
                used.add(iin)
                apps.append(
                    Application(
                        iin=iin,
                        number=f"{PREFIX}{serial:08d}",
                        last_name=f"Бенчмарк{serial}",
                        first_name="Айгүл",
                        birth_date=birth,
                        sex="F",
                        phone=f"+7708{serial:07d}",
                        district_id=district_id,
                        region_id=region_id,
                        stream=stream,
                        employment_status="unemployed",
                        education="secondary",
                        business_idea="-",
                        sector="trade",
                        is_citizen_confirmed=True,
                        consent_version="2026-11",
                        consent_given_at=now,
                        channel="online",
                        status=path[-1],
                        submitted_at=submitted,
                        status_changed_at=submitted + datetime.timedelta(days=2 * (len(path) - 1)),
                    )
                )
                paths.append(path)
            with transaction.atomic():
                created = Application.objects.bulk_create(apps, batch_size=5000)
                changes, members = [], []
                for application, path in zip(created, paths, strict=True):
                    previous = ""
                    for step, status in enumerate(path):
                        at = application.submitted_at + datetime.timedelta(days=2 * step)
                        changes.append(
                            StatusChange(
                                application=application,
                                from_status=previous,
                                to_status=status,
                                at=at,
                                notified_at=at,
                                actor=staff if step else None,
                            )
                        )
                        previous = status
                        if status == Status.PLACED:
                            members.append(
                                GroupMember(
                                    group_id=groups[(application.district_id, application.stream_id)],
                                    application=application,
                                    placed_at=at,
                                    placed_by=staff,
                                )
                            )
                StatusChange.objects.bulk_create(changes, batch_size=10000)
                GroupMember.objects.bulk_create(members, batch_size=10000)
            self.stdout.write(f"{serial:,} / {target:,} applications ({time.perf_counter() - started:.0f} s)")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
