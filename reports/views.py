"""The programme dashboard, its exports and the export jobs' pages."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import policy
from accounts.access import action_required
from core.downloads import xlsx_response
from core.errors import NotFound
from geography.models import District, Region
from reports import charts, exports, funnel, selectors, services
from reports.models import ExportJob
from reports.selectors import Filters

STREAM_NUMBERS = range(1, 7)
LEVEL_LABELS = {"region": "Region", "district": "District", "group": "Training group"}


@dataclass(frozen=True)
class Area:
    """A region as the policy's `in_area` reads it (a District answers for itself)."""

    district_id: int | None
    region_id: int | None


def _number(value, allowed=None) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if allowed is None or number in allowed else None


def _filters(request, years: list[int], data=None) -> Filters:
    """The selection asked for (the query string, or the posted form), narrowed to the user's area: a
    district office always sees its district, a regional one its region; an area outside it is refused
    (403)."""
    scope = request.scope
    data = request.GET if data is None else data
    year = _number(data.get("year"))
    if year not in years:
        year = years[0] if years else None
    stream = _number(data.get("stream"), STREAM_NUMBERS)
    district_id = scope.district_id or _number(data.get("district"))
    region_id = None if district_id else scope.region_id or _number(data.get("region"))
    district = region = None
    if district_id:
        district = District.objects.select_related("region").filter(pk=district_id).first()
        if district is None:
            raise NotFound(_("There is no such district."))
        policy.require(request.user, "reports.view_area", district)
        region = district.region
    elif region_id:
        region = Region.objects.filter(pk=region_id).first()
        if region is None:
            raise NotFound(_("There is no such region."))
        policy.require(request.user, "reports.view_area", Area(district_id=None, region_id=region.pk))
    return Filters(year=year, stream=stream, region=region, district=district)


def _query(filters: Filters, **changes) -> str:
    params = {**filters.as_params(), **changes}
    return "?" + urlencode({k: v for k, v in params.items() if v})


def _level_title(level: str) -> str:
    return {
        "region": _("By region"),
        "district": _("By district"),
        "group": _("By training group"),
    }[level]


@action_required("reports.view_dashboard")
def dashboard(request):
    scope = request.scope
    refreshed = funnel.current()  # first: it may rebuild the rows read below
    years = selectors.years(scope)
    filters = _filters(request, years)
    total = selectors.totals(scope, filters)
    rows = selectors.by_area(scope, filters)
    for row in rows:
        row.url = _query(filters, **row.link) if row.link else ""
    stream_rows = selectors.by_stream(scope, filters)
    level = filters.level
    national = scope.national
    context = {
        "filters": filters,
        "years": years,
        "streams": STREAM_NUMBERS,
        "regions": Region.objects.all() if national else [],
        "districts": District.objects.filter(region=filters.region) if filters.region and not scope.district_id else [],
        "can_choose_region": national,
        "can_choose_district": not scope.district_id,
        "stages": funnel.STAGES,
        "total": total,
        "rows": rows,
        "stream_rows": stream_rows,
        "level": level,
        "level_title": _level_title(level),
        "first_column": _(LEVEL_LABELS[level]),
        "refreshed": refreshed,
        "refresh_minutes": settings.REPORTS_REFRESH_SECONDS // 60,
        "query": _query(filters),
        "up_query": _query(filters, district=None) if filters.district and not scope.district_id else "",
        "top_query": _query(filters, region=None, district=None) if filters.region and national else "",
        "chart_funnel": charts.funnel_chart(total),
        "chart_areas": charts.area_chart(rows, _level_title(level)),
        "chart_streams": charts.stream_chart(stream_rows),
    }
    return render(request, "reports/dashboard.html", context)


TABLES = {"areas", "streams"}


@action_required("reports.export")
def table_export(request, table, file_format):
    """A table of the dashboard as it is shown, in CSV or XLSX (small: a line per area or stream)."""
    if table not in TABLES or file_format not in ("csv", "xlsx"):
        raise NotFound(_("There is no such table."))
    scope = request.scope
    funnel.current()  # the same figures as the page, rebuilt first when stale (without a beat)
    filters = _filters(request, selectors.years(scope))
    if table == "areas":
        lines = exports.table_lines(
            selectors.by_area(scope, filters), selectors.totals(scope, filters), _(LEVEL_LABELS[filters.level])
        )
        title = _level_title(filters.level)
    else:
        lines = exports.table_lines(selectors.by_stream(scope, filters), None, _("Stream"))
        title = _("By stream")
    name = f"bastau-funnel-{table}-{filters.year or 'all'}.{file_format}"
    if file_format == "xlsx":
        return xlsx_response(exports.to_xlsx(lines, title), name)
    response = xlsx_response(exports.to_csv(lines), name)
    response["Content-Type"] = "text/csv; charset=utf-8"
    return response


@action_required("reports.export")
@require_POST
def export_start(request):
    """Queue the per-application export of the selection; its page shows the progress."""
    filters = _filters(request, selectors.years(request.scope), request.POST)
    file_format = request.POST.get("format")
    if file_format not in ExportJob.Format.values:
        raise NotFound(_("There is no such format."))
    job = services.export_request(actor=request.user, kind="applications", file_format=file_format, filters=filters)
    return redirect("reports:export_job", code=job.code)


def _own_job(request, code) -> ExportJob:
    return get_object_or_404(ExportJob.objects.of(request.user), code=code)


@action_required("reports.export")
def export_job(request, code):
    job = _own_job(request, code)
    template = "reports/_export_progress.html" if request.htmx else "reports/export_job.html"
    return render(request, template, {"job": job})


@action_required("reports.export")
def export_download(request, code):
    job = _own_job(request, code)
    policy.require(request.user, "reports.download_export", job)
    if job.state != ExportJob.State.DONE or not job.file:
        raise NotFound(_("The file is not ready."))
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=f"bastau-applications.{job.file_format}")
