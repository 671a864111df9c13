"""What the dashboard reads: sums of summary rows in the user's area, by stage, by area and by stream.

Every figure is a SUM over `FunnelSummary` in the database; Python only turns the few aggregated rows
(one per area × status) into table rows. The number of queries does not depend on the data.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet, Sum

from accounts.scoping import Scope
from geography.models import District, Region
from reports.funnel import GRADUATES, STAGES, providers
from reports.models import FunnelSummary
from training.models import TrainingGroup


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    stream: int | None = None  # the stream's number in its year, 1-6
    region: Region | None = None
    district: District | None = None

    @property
    def level(self) -> str:
        """What the table's rows are: regions (the country), districts (a region), groups (a district)."""
        if self.district is not None:
            return "group"
        if self.region is not None:
            return "district"
        return "region"

    def as_params(self) -> dict:
        return {
            "year": self.year,
            "stream": self.stream,
            "region": self.region.pk if self.region else None,
            "district": self.district.pk if self.district else None,
        }


@dataclass
class Row:
    """One line of the funnel table: an area (or the total) and each stage's figure (None: not known yet)."""

    label: str
    values: dict[str, int | None]
    area_id: int | None = None
    link: dict = field(default_factory=dict)  # the filters that drill into this row

    @property
    def share_opened(self) -> Decimal | None:
        opened, graduates = self.values.get("businesses_opened"), self.values.get(GRADUATES)
        if opened is None or not graduates:
            return None
        return (Decimal(100) * opened / graduates).quantize(Decimal("0.1"))

    def cells(self) -> list[tuple[str, int | None]]:
        return [(stage.key, self.values.get(stage.key)) for stage in STAGES]


def rows_in(scope: Scope, filters: Filters, *, all_years: bool = False) -> QuerySet[FunnelSummary]:
    rows = FunnelSummary.objects.in_scope(scope)
    if filters.year and not all_years:
        rows = rows.filter(year=filters.year)
    if filters.stream:
        rows = rows.filter(stream__number=filters.stream)
    if filters.district is not None:
        rows = rows.filter(district=filters.district)
    elif filters.region is not None:
        rows = rows.filter(region=filters.region)
    return rows


def _stage_values(by_metric: dict[str, int]) -> dict[str, int | None]:
    known = providers()
    values: dict[str, int | None] = {}
    for stage in STAGES:
        if stage.provided:
            values[stage.key] = int(by_metric.get(stage.key, 0)) if stage.key in known else None
        else:
            values[stage.key] = sum(int(by_metric.get(status, 0)) for status in stage.statuses)
    return values


def totals(scope: Scope, filters: Filters) -> Row:
    """The funnel of the whole selection (one query)."""
    sums = rows_in(scope, filters).filter(group__isnull=True).values("metric").annotate(total=Sum("value")).order_by()
    return Row(label="", values=_stage_values({r["metric"]: r["total"] for r in sums}))


AREA_MODELS = {"region": Region, "district": District, "group": TrainingGroup}


def by_area(scope: Scope, filters: Filters) -> list[Row]:
    """The funnel per region, district or training group of the selection (two queries: the sums, the names)."""
    level = filters.level
    rows = rows_in(scope, filters)
    rows = rows.filter(group__isnull=False) if level == "group" else rows.filter(group__isnull=True)
    column = f"{level}_id"
    sums: dict[int, dict[str, int]] = {}
    for r in rows.values(column, "metric").annotate(total=Sum("value")).order_by():
        sums.setdefault(r[column], {})[r["metric"]] = r["total"]
    areas = AREA_MODELS[level]._default_manager.in_bulk(list(sums))
    result = []
    for area_id, by_metric in sums.items():
        area = areas.get(area_id)
        if area is None:
            continue
        link = {"region": area_id} if level == "region" else {"district": area_id} if level == "district" else {}
        result.append(Row(label=str(area), values=_stage_values(by_metric), area_id=area_id, link=link))
    result.sort(key=lambda row: (-(row.values["applied"] or 0), row.label))
    return result


def by_stream(scope: Scope, filters: Filters) -> list[Row]:
    """The funnel of each stream of every year in the selection's area, oldest first (one query)."""
    rows = rows_in(scope, filters, all_years=True).filter(group__isnull=True, stream__isnull=False)
    sums: dict[tuple[int, int], dict[str, int]] = {}
    for r in rows.values("year", "stream__number", "metric").annotate(total=Sum("value")).order_by():
        sums.setdefault((r["year"], r["stream__number"]), {})[r["metric"]] = r["total"]
    return [Row(label=f"{year}–{number}", values=_stage_values(sums[(year, number)])) for year, number in sorted(sums)]


def years(scope: Scope) -> list[int]:
    return list(FunnelSummary.objects.in_scope(scope).order_by("-year").values_list("year", flat=True).distinct())
