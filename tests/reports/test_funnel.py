"""The funnel counts what reached each stage, from the history, on data walked along the real path."""

import pytest

from accounts.scoping import EVERYTHING, Scope
from applications.models import Application, Status
from reports import funnel, selectors
from reports.models import FunnelSummary
from reports.selectors import Filters
from tests.factories import make_accepted, make_application, make_finished, make_participants

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(district, neighbour, other_district, stream):
    """district: 3 finished the course, 2 passed the test only, 1 accepted, 1 eligible, 1 not eligible,
    1 waiting; neighbour (same region): 2 passed; other_district (another region): 1 waiting."""
    finished, group = make_finished(district, stream, 3)
    make_participants(district, stream, 2)
    make_accepted(district, stream, 1)
    make_application(district=district, status=Status.ELIGIBLE)
    make_application(district=district, status=Status.INELIGIBLE)
    make_application(district=district)
    make_participants(neighbour, stream, 2)
    make_application(district=other_district)
    funnel.refresh()
    return group


def values(row, *keys):
    return {k: row.values[k] for k in keys}


def test_the_district_funnel_counts_each_stage_reached(known, district, stream):
    total = selectors.totals(EVERYTHING, Filters(year=stream.year.year, district=district))
    assert values(total, "applied", "eligible", "tested", "passed", "in_training", "expelled", "defended") == {
        "applied": 9,
        "eligible": 7,  # the 6 accepted and the one found eligible, not the refused one nor the waiting one
        "tested": 5,
        "passed": 5,
        "in_training": 3,  # finished the course since: still counted as having been in training
        "expelled": 0,
        "defended": 0,
    }


def test_a_participant_now_further_on_still_counts_in_the_earlier_stages(known, district, stream):
    assert Application.objects.filter(district=district, status=Status.COURSE_FINISHED).count() == 3
    assert not Application.objects.filter(district=district, status=Status.IN_TRAINING).exists()
    total = selectors.totals(EVERYTHING, Filters(district=district))
    assert total.values["in_training"] == 3
    assert total.values["passed"] == 5


def test_metrics_of_stages_not_built_yet_are_unknown_not_zero(known, district):
    total = selectors.totals(EVERYTHING, Filters(district=district))
    assert total.values["loan_amount_approved"] is None
    assert total.values["businesses_opened"] is None
    assert total.share_opened is None


def test_a_provider_fills_its_metric_at_the_next_refresh(known, district, stream):
    from django.db.models import Count, F

    def fake_opened():
        # Pretend every finished participant opened a business: one aggregate, as a real provider would be.
        return (
            Application.objects.filter(status=Status.COURSE_FINISHED)
            .values("stream", "region", "district", year=F("stream__year__year"))
            .annotate(value=Count("pk"))
            .order_by()
        )

    funnel.register_provider("businesses_opened", fake_opened)
    try:
        funnel.refresh()
        total = selectors.totals(EVERYTHING, Filters(district=district))
    finally:
        funnel.register_provider("businesses_opened", None)
    assert total.values["businesses_opened"] == 3
    assert total.values["loan_amount_approved"] is None


def test_the_region_shows_its_districts_and_a_district_its_groups(known, district, neighbour, stream):
    region_rows = selectors.by_area(EVERYTHING, Filters(region=district.region))
    assert {r.label: r.values["passed"] for r in region_rows} == {str(district): 5, str(neighbour): 2}
    assert all(r.link == {"district": r.area_id} for r in region_rows)

    group_rows = selectors.by_area(EVERYTHING, Filters(district=district))
    assert [(r.label, r.values["in_training"], r.values["applied"]) for r in group_rows] == [(known.name, 3, 3)]


def test_the_country_shows_its_regions(known, district, other_district):
    rows = {r.label: r.values["applied"] for r in selectors.by_area(EVERYTHING, Filters())}
    assert rows == {str(district.region): 11, str(other_district.region): 1}


def test_the_summary_equals_the_live_aggregate_over_the_history(known, district, stream):
    for scope in (EVERYTHING, Scope(region_id=district.region_id), Scope(district_id=district.pk)):
        live = funnel.live_totals(Application.objects.in_scope(scope))
        summary = selectors.totals(scope, Filters()).values
        assert live == {k: v for k, v in summary.items() if k in live}
        assert live["applied"] == Application.objects.in_scope(scope).count()


def test_a_refresh_replaces_the_rows_and_is_logged(known, district):
    before = FunnelSummary.objects.count()
    make_application(district=district)
    log = funnel.refresh()
    assert FunnelSummary.objects.count() == log.rows == before + 0  # the same cells, one count higher
    assert selectors.totals(EVERYTHING, Filters(district=district)).values["applied"] == 10
    assert funnel.last_refresh() == log


def test_a_participant_back_in_training_after_a_closed_case_counts_once(
    district, stream, django_capture_on_commit_callbacks
):
    """An expulsion case closed by a corrected mark returns the participant to IN_TRAINING: a second
    history row for the same status, which the summary must not count twice."""
    import datetime

    import time_machine

    from accounts.models import Role
    from tests.factories import make_modules, make_staff
    from tests.training.helpers import make_group, put
    from training import services as training_services
    from training.models import MarkKind

    make_modules()
    chamber, trainer = make_staff(Role.CHAMBER, district=district), make_staff(Role.TRAINER, district=district)
    with time_machine.travel(datetime.datetime(2026, 12, 21, 4, 0, tzinfo=datetime.UTC), tick=False):
        group = make_group(chamber, stream, "Group R", trainers=[trainer])
        put(chamber, group, make_participants(district, stream, 1))
        member = group.memberships.current().get()
        days = [d for d in group.days.order_by("date") if d.date < datetime.date(2026, 12, 21)]
        for day in days[:4]:
            training_services.attendance_mark(
                actor=trainer, group_id=group.pk, membership_id=member.pk, day_id=day.pk, kind=MarkKind.UNEXCUSED
            )
        training_services.attendance_mark(
            actor=trainer,
            group_id=group.pk,
            membership_id=member.pk,
            day_id=days[0].pk,
            kind=MarkKind.PRESENT,
            change_reason="The sheet was wrong",
        )
    member.application.refresh_from_db()
    assert member.application.status == Status.IN_TRAINING
    assert member.application.changes.filter(to_status=Status.IN_TRAINING).count() == 2
    funnel.refresh()
    assert selectors.totals(EVERYTHING, Filters(district=district)).values["in_training"] == 1
    assert selectors.by_area(EVERYTHING, Filters(district=district))[0].values["in_training"] == 1
    assert funnel.live_totals(Application.objects.filter(district=district))["in_training"] == 1


def test_every_way_back_into_a_counted_status_is_left_out_of_the_summary():
    """A move into a counted status from a status reachable only after it is a return; each must be in
    funnel.RETURNS, or the summary (which counts rows) would count an application twice."""
    from applications import pathway

    graph: dict[str, set[str]] = {}
    for move in pathway.moves():
        for source in move.source:
            graph.setdefault(source, set()).add(move.target)

    def reachable(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for nxt in graph.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    declared = {(dict(c.children)["from_status"], dict(c.children)["to_status"]) for c in funnel.RETURNS}
    returns = {
        (source, move.target)
        for move in pathway.moves()
        if move.target in funnel.COUNTED_STATUSES
        for source in move.source
        if source in reachable(move.target)
    }
    assert returns <= declared
