"""Summary rows of the programme funnel, the log of their refreshes, and export jobs.

The dashboard never counts applications while a person waits: it sums `FunnelSummary` rows, which
`reports.funnel.refresh()` rebuilds from the path's history (a beat job, `manage.py refresh_funnel`).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet


class FunnelSummaryQuerySet(ScopedQuerySet):
    district_field = "district"
    region_field = "region"


class FunnelSummary(models.Model):
    """One count of the funnel: in a year, stream, district (and, from placement on, a training group),
    how many applications reached a status (`metric` is a `Status` value), or the value of a metric
    a later stage provides (`metric` is its key, e.g. "loan_amount_approved": reports/metrics.py).

    Rows with `group` empty hold the district's whole count; rows with a group hold the part of it
    whose participants were (last) placed in that group, for the drill-down below a district."""

    year = models.PositiveSmallIntegerField(_("year"))
    stream = models.ForeignKey("programme.Stream", on_delete=models.CASCADE, null=True, related_name="+")
    region = models.ForeignKey("geography.Region", on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey("geography.District", on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey("training.TrainingGroup", on_delete=models.CASCADE, null=True, related_name="+")
    metric = models.CharField(max_length=40)
    value = models.BigIntegerField(default=0)  # a count, or whole tenge for a money metric

    objects = FunnelSummaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("funnel summary row")
        verbose_name_plural = _("funnel summary rows")
        indexes = [
            # National and regional dashboards: a year's district rows; a district's: its own.
            models.Index(fields=["year", "region", "metric"], name="funnel_year_region"),
            models.Index(fields=["district", "year"], name="funnel_district_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.district_id} {self.metric}={self.value}"


class FunnelRefresh(models.Model):
    """One rebuild of the summary rows: when it ran, how long it took, how many rows it wrote. The
    newest finished one is the "figures as of" the dashboard shows."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True, db_index=True)
    rows = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("funnel refresh")
        verbose_name_plural = _("funnel refreshes")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} ({self.rows})"


def export_path(instance, filename: str) -> str:
    # A random name under the job's code: nothing guessable, nothing about people in the path.
    return f"reports/{instance.code}/{uuid.uuid4().hex}.{instance.file_format}"


class ExportJobQuerySet(models.QuerySet):
    def of(self, user):
        """Jobs a user may see: their own, nobody else's (not even an administrator's)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)


class ExportJob(models.Model):
    """A large export built by a Celery task; the page polls its progress and its owner downloads it."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30)  # which export (reports/exports.py EXPORTS)
    file_format = models.CharField(max_length=4, choices=Format)
    params = models.JSONField(default=dict, blank=True)  # the dashboard's filters and language when asked
    state = models.CharField(max_length=10, choices=State, default=State.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=export_path, blank=True)
    error = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)  # when the current attempt was queued
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        indexes = [models.Index(fields=["state", "started_at"], name="export_state_started")]

    def __str__(self) -> str:
        return f"{self.kind}.{self.file_format} ({self.get_state_display()})"

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0

    @property
    def working(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)
