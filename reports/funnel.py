"""The programme funnel: its stages, the summary rows behind the dashboard, and their refresh.

A stage counts the applications that **reached** it, read from the path's history
(`applications.models.StatusChange`, one row per move, so a participant now certified still counts
as "passed" and "in training"), not only the current status. Each summary row holds, for a year ×
stream × district (× the training group, from placement on), how many distinct applications reached
one status; a stage sums the statuses it is made of.

Metrics whose data belong to stages not built yet (the amount of the loans approved, the businesses
opened) come from **metric providers**: an app declares `METRICS = {"loan_amount_approved": fn}` in a
module `<app>/report_metrics.py`; `providers()` finds them (this app is the top layer, so it may import
every app; the provider's module imports nothing from here). `fn()` returns a queryset of rows with
the keys `year`, `stream`, `region`, `district`, `group` (may be None) and `value` (an int), already
aggregated in the database. Until a provider exists the metric is None and the page shows "—".
"""

import datetime
import functools
import importlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps as django_apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Status, StatusChange
from reports.models import FunnelRefresh, FunnelSummary
from training.models import GroupMember


@dataclass(frozen=True)
class Stage:
    key: str
    label: str | Promise
    statuses: tuple[
        str, ...
    ] = ()  # counted from the history; their counts add up (each is reached at most once per path)
    provided: bool = False  # a metric a later stage's provider fills; None until one exists
    money: bool = False


STAGES: tuple[Stage, ...] = (
    Stage("applied", _("Applied"), (Status.SUBMITTED,)),
    Stage("eligible", _("Eligible"), (Status.ELIGIBLE,)),
    # PASSED and TEST_FAILED both leave ACCEPTED and neither is ever left for the other.
    Stage("tested", _("Tested"), (Status.PASSED, Status.TEST_FAILED)),
    Stage("passed", _("Passed the test"), (Status.PASSED,)),
    Stage("in_training", _("In training"), (Status.IN_TRAINING,)),
    Stage("expelled", _("Expelled"), (Status.EXPELLED,)),
    Stage("defended", _("Defended"), (Status.DEFENDED,)),
    Stage("completion", _("Certificates of completion"), (Status.CERTIFIED,)),
    Stage("participation", _("Certificates of participation"), (Status.PARTICIPATION_CERTIFIED,)),
    Stage("loan_requested", _("Loans requested"), (Status.LOAN_REQUESTED,)),
    Stage("loan_approved", _("Loans approved"), (Status.LOAN_APPROVED,)),
    Stage("loan_amount_approved", _("Amount approved, ₸"), provided=True, money=True),
    Stage("businesses_opened", _("Businesses opened"), provided=True),
)
STAGE_BY_KEY = {stage.key: stage for stage in STAGES}
COUNTED_STATUSES: tuple[str, ...] = tuple(dict.fromkeys(s for stage in STAGES for s in stage.statuses))
PROVIDED_METRICS: tuple[str, ...] = tuple(stage.key for stage in STAGES if stage.provided)
# Graduates: holders of a certificate of completion (they defended their plan); "businesses opened"
# is shown as a share of them.
GRADUATES = "completion"


# --- Metric providers (the extension point for stages built later) ---------------------------------

Provider = Callable[[], QuerySet]
_extra_providers: dict[str, Provider] = {}


@functools.cache
def _declared() -> dict[str, Provider]:
    """The providers declared in installed apps' `report_metrics.METRICS` (looked up once per process)."""
    found: dict[str, Provider] = {}
    for config in django_apps.get_app_configs():
        if module_has_submodule(config.module, "report_metrics"):
            module = importlib.import_module(f"{config.name}.report_metrics")
            found.update(getattr(module, "METRICS", {}))
    return found


def providers() -> dict[str, Provider]:
    """Every metric provider: those the apps declare, then any added by `register_provider` (tests).
    Only keys of provided stages count."""
    found = {**_declared(), **_extra_providers}
    return {key: fn for key, fn in found.items() if key in PROVIDED_METRICS}


def register_provider(key: str, fn: Provider | None) -> None:
    """Add (or, with None, remove) a provider at run time: for tests and for a stage not in an app."""
    if key not in PROVIDED_METRICS:
        raise KeyError(f"{key!r} is not a provided funnel metric: add its Stage to STAGES first")
    if fn is None:
        _extra_providers.pop(key, None)
    else:
        _extra_providers[key] = fn


# --- Building the summary ------------------------------------------------------------------------


def year_of(prefix: str = ""):
    """The programme year of an application: its stream's, or the year it was submitted in when it
    came in outside every stream's window."""
    return Coalesce(F(f"{prefix}stream__year__year"), ExtractYear(f"{prefix}submitted_at"))


# The path's only ways back into a counted status: an expulsion case closed by a corrected mark
# (training.close_case) or by the commission keeping the participant (commissions.keep) return them to
# IN_TRAINING, which they had reached already. Such rows are left out, so every other row is the first
# (and only) arrival of its application at its status and the summary counts rows, not distinct
# applications: PostgreSQL then aggregates by hashing instead of sorting a million rows (22 s → see
# docs/benchmarks.md). tests/reports/test_funnel.py checks every declared move against this list.
RETURNS = (Q(from_status=Status.EXPULSION_CASE, to_status=Status.IN_TRAINING),)
_COLUMNS = ("year", "stream_id", "region_id", "district_id", "group_id", "metric", "value")


def _counted_changes() -> QuerySet:
    """History rows that count: arrivals at a counted status, returns left out."""
    returns = Q()
    for condition in RETURNS:
        returns |= condition
    return StatusChange.objects.filter(to_status__in=COUNTED_STATUSES).exclude(returns)


def _district_counts() -> QuerySet:
    """Distinct applications per year × stream × district × status reached, from the history."""
    return (
        _counted_changes()
        .values(
            rep_year=year_of("application__"),
            rep_stream=F("application__stream_id"),
            rep_region=F("application__region_id"),
            rep_district=F("application__district_id"),
            rep_metric=F("to_status"),
        )
        .annotate(rep_value=Count("pk"))
        .order_by()
    )


def _group_counts() -> QuerySet:
    """The same, per training group: each application in the group it was placed in last."""
    later = GroupMember.objects.filter(
        application=OuterRef("application_id"), placed_at__gt=OuterRef("application__memberships__placed_at")
    )
    return (
        _counted_changes()
        .filter(~Exists(later), application__memberships__isnull=False)
        .values(
            rep_year=year_of("application__"),
            rep_stream=F("application__stream_id"),
            rep_region=F("application__region_id"),
            rep_district=F("application__district_id"),
            rep_group=F("application__memberships__group_id"),
            rep_metric=F("to_status"),
        )
        .annotate(rep_value=Count("pk"))
        .order_by()
    )


def _insert_select(queryset: QuerySet, with_group: bool) -> int:
    """INSERT INTO the summary the rows the aggregate query returns, inside the database."""
    sql, params = queryset.query.sql_with_params()
    group = "s.rep_group" if with_group else "NULL"
    table = FunnelSummary._meta.db_table
    statement = (
        f"INSERT INTO {table} ({', '.join(_COLUMNS)}) "  # noqa: S608  names are ours, values are parameters
        f"SELECT s.rep_year, s.rep_stream, s.rep_region, s.rep_district, {group}, s.rep_metric, s.rep_value "
        f"FROM ({sql}) s"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def refresh() -> FunnelRefresh:
    """Rebuild every summary row from the history, in one transaction: readers see the old figures until
    it commits, then the new ones. Two refreshes never run at once (an advisory lock on PostgreSQL)."""
    started = time.perf_counter()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x42A57A01])
                cursor.execute("SET LOCAL work_mem = '64MB'")  # the aggregates hash in memory
        log = FunnelRefresh.objects.create(started_at=timezone.now())
        FunnelSummary.objects.all().delete()
        rows = _insert_select(_district_counts(), with_group=False)
        rows += _insert_select(_group_counts(), with_group=True)
        for key, provider in providers().items():
            provided = [
                FunnelSummary(
                    year=row["year"],
                    stream_id=row["stream"],
                    region_id=row["region"],
                    district_id=row["district"],
                    group_id=row.get("group"),
                    metric=key,
                    value=int(row["value"] or 0),
                )
                for row in provider()
            ]
            FunnelSummary.objects.bulk_create(provided, batch_size=2000)
            rows += len(provided)
        log.rows = max(rows, 0)
        log.finished_at = timezone.now()
        log.duration_ms = int((time.perf_counter() - started) * 1000)
        log.save(update_fields=["rows", "finished_at", "duration_ms"])
    return log


def last_refresh() -> FunnelRefresh | None:
    return FunnelRefresh.objects.filter(finished_at__isnull=False).order_by("-finished_at").first()


def current() -> FunnelRefresh | None:
    """The last refresh, for the page to show. Where no beat rebuilds the figures (REPORTS_REFRESH_ON_READ:
    tasks run in-process, as in `make run`), they are rebuilt first when stale: never built, a move on the
    path since the last rebuild began, or older than REPORTS_REFRESH_SECONDS."""
    last = last_refresh()
    if not settings.REPORTS_REFRESH_ON_READ:
        return last
    interval = datetime.timedelta(seconds=settings.REPORTS_REFRESH_SECONDS)
    if (
        last is None
        or last.started_at < timezone.now() - interval
        or StatusChange.objects.filter(at__gte=last.started_at).exists()
    ):
        return refresh()
    return last


# --- The live aggregate (the reference the summary is checked against) -----------------------------


def live_totals(applications: QuerySet[Application]) -> dict[str, int]:
    """Each counted stage over some applications, straight from the history (one query). Slow at
    national scale, which is why the dashboard reads the summary; tests compare the two."""
    aggregates = {
        f"s_{status}": Count("pk", filter=Q(changes__to_status=status), distinct=True) for status in COUNTED_STATUSES
    }
    counts = applications.order_by().aggregate(**aggregates)
    return {
        stage.key: sum(counts[f"s_{status}"] or 0 for status in stage.statuses)
        for stage in STAGES
        if not stage.provided
    }
