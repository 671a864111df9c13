"""Defence sessions: who appears, hidden scores, absence, the outcome rule at its boundary, quorum, the
chair's confirmation through the path, and the protocol rendered by the task."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from applications.models import Status, StatusChange
from commissions import outcome, selectors, services, tasks
from commissions.models import Criterion, Defence, DefenceSession, ProtocolState
from core import jobs
from core.errors import Conflict, Refused
from tests.commissions.helpers import pdf_text
from tests.factories import make_commission, make_finished, make_frozen_plan, score_all

pytestmark = pytest.mark.django_db


# --- The rule, on its own -------------------------------------------------------------------------


def test_exactly_at_the_threshold_is_defended_and_one_point_below_is_not():
    # 4 criteria of 10: a maximum of 40; 60 % of it is a mean total of 24.
    at = outcome.defence_result(
        absent=False, totals=[24, 24, 24], members_present=3, max_total=40, threshold=Decimal(60)
    )
    below = outcome.defence_result(
        absent=False, totals=[24, 24, 23], members_present=3, max_total=40, threshold=Decimal(60)
    )
    assert (at.defended, at.percent) == (True, Decimal("60.00"))
    assert (below.defended, below.percent) == (False, Decimal("59.17"))


def test_absent_has_not_defended_and_an_unfinished_scoring_has_no_outcome():
    assert (
        outcome.defence_result(absent=True, totals=[], members_present=3, max_total=40, threshold=Decimal(60)).defended
        is False
    )
    partial = outcome.defence_result(
        absent=False, totals=[40, 40], members_present=3, max_total=40, threshold=Decimal(60)
    )
    assert partial.defended is None


@pytest.mark.parametrize(
    ("present", "in_term", "reached"),
    [(3, 3, True), (3, 5, True), (2, 3, False), (3, 6, False), (4, 6, True), (2, 2, False)],
)
def test_quorum_is_at_least_three_and_more_than_half_of_the_members_in_term(present, in_term, reached):
    assert outcome.quorum(present, in_term, 3).reached is reached


# --- Sessions through the services ---------------------------------------------------------------


@pytest.fixture
def finished(district, stream):
    """Three participants who finished the course, two with a frozen plan; the day after the last
    teaching day, when the session sits."""
    apps, group = make_finished(district, stream, 3)
    for application in apps[:2]:
        make_frozen_plan(application)
    last = group.days.order_by("-date").first().date
    return apps, group, last + datetime.timedelta(days=1)


@pytest.fixture
def commission(district):
    return make_commission(district, members=3)


def schedule(commission, group, day, present=None):
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(6), tzinfo=datetime.UTC), tick=False):
        return services.session_schedule(
            actor=commission.secretary,
            group_id=group.pk,
            held_on=day,
            place="Akimat hall",
            present_ids=[s.pk for s in (present or commission.seats)],
        )


def on(day):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(8), tzinfo=datetime.UTC), tick=False)


def score(seat, session, defence, points, comment=""):
    criteria = list(Criterion.objects.filter(commission=session.commission).order_by("position"))
    values = points if isinstance(points, list) else [points] * len(criteria)
    return services.defence_score(
        actor=seat.user,
        session_id=session.pk,
        defence_id=defence.pk,
        points={c.pk: v for c, v in zip(criteria, values, strict=True)},
        comment=comment,
    )


def test_the_participants_who_finished_with_a_frozen_plan_appear(commission, finished):
    apps, group, day = finished
    session = schedule(commission, group, day)
    assert list(session.defences.order_by("application_id").values_list("application_id", flat=True)) == [
        apps[0].pk,
        apps[1].pk,
    ]
    make_frozen_plan(apps[2])
    with on(day):
        assert services.session_add_participants(actor=commission.secretary, session_id=session.pk) == 1
    assert session.defences.count() == 3


def test_a_session_comes_after_the_course_and_is_scheduled_by_the_secretary(commission, finished):
    apps, group, day = finished
    last = day - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as early:
        schedule(commission, group, last)
    assert "held_on" in early.value.error_dict
    with on(day), pytest.raises(Refused):
        services.session_schedule(
            actor=commission.chair, group_id=group.pk, held_on=day, place="Hall", present_ids=[commission.seats[0].pk]
        )
    assert not DefenceSession.objects.exists()


def test_scores_are_hidden_from_the_other_members_until_every_member_present_has_scored(commission, finished):
    apps, group, day = finished
    session = schedule(commission, group, day)
    defence = session.defences.order_by("application_id").first()
    chair, secretary, member = commission.seats
    with on(day):
        score(chair, session, defence, 9, "Strong market analysis")
        score(secretary, session, defence, 8)

        def seen_by(seat):
            fresh = selectors.session_for(seat.user, session.code)
            view = next(v for v in selectors.session_defences(fresh, seat) if v.defence.pk == defence.pk)
            return view

        view = seen_by(member)
        assert (view.sheets, view.own, view.scored, view.complete, view.result) == ([], None, 2, False, None)
        view = seen_by(chair)
        assert view.own.total == 36 and view.sheets == [] and view.result is None
        assert [s.member_id for s in selectors.visible_sheets(session, defence, member)] == []
        # The chair may still change their mind while the others have not all scored.
        score(chair, session, defence, 10, "Strong market analysis")

        score(member, session, defence, 7)
        view = seen_by(member)
        assert view.complete and sorted(s.total for s in view.sheets) == [28, 32, 40]
        assert view.result.defended is True and view.result.percent == Decimal("83.33")
        # Every member present has scored: the sheets are closed.
        with pytest.raises(Conflict):
            score(member, session, defence, 10)


def test_a_score_outside_a_criterions_range_is_refused_on_it(commission, finished):
    apps, group, day = finished
    session = schedule(commission, group, day)
    defence = session.defences.first()
    with on(day), pytest.raises(ValidationError) as exc:
        score(commission.seats[0], session, defence, [11, 5, 5, 5])
    first = Criterion.objects.filter(commission=commission).order_by("position").first()
    assert list(exc.value.error_dict) == [f"c{first.pk}"]


def test_only_members_present_score_and_not_before_the_day(district, finished):
    commission = make_commission(district, members=4)
    apps, group, day = finished
    session = schedule(commission, group, day, present=commission.seats[:3])
    defence = session.defences.first()
    with on(day), pytest.raises(Refused):
        score(commission.seats[3], session, defence, 5)
    with on(day - datetime.timedelta(days=1)), pytest.raises(ValidationError):
        score(commission.seats[0], session, defence, 5)


def test_the_chair_confirms_by_the_rule_and_the_path_records_each_outcome(
    commission, finished, django_capture_on_commit_callbacks
):
    apps, group, day = finished
    session = schedule(commission, group, day)
    first, second = session.defences.order_by("application_id")
    chair, secretary, member = commission.seats
    with on(day):
        # First: 24 of 40 from each member, exactly 60 %: defended. Second: one point less from one: not.
        for seat in commission.seats:
            score(seat, session, first, [6, 6, 6, 6])
        score(chair, session, second, [6, 6, 6, 6])
        score(secretary, session, second, [6, 6, 6, 6])
        score(member, session, second, [6, 6, 6, 5])
        with pytest.raises(Refused):
            services.session_confirm(actor=secretary.user, session_id=session.pk)
        with django_capture_on_commit_callbacks(execute=True):
            services.session_confirm(actor=chair.user, session_id=session.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.outcome, first.score_percent) == ("defended", Decimal("60.00"))
    assert (second.outcome, second.score_percent) == ("not_defended", Decimal("59.17"))
    a, b = (first.application, second.application)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (Status.DEFENDED, Status.NOT_DEFENDED)
    assert StatusChange.objects.filter(application=a).last().reason == (
        "Mean score 60.00 % of the maximum; the threshold is 60 %."
    )
    assert StatusChange.objects.filter(application=b).last().move == "commissions.not_defended"
    with on(day), pytest.raises(Conflict):
        services.session_confirm(actor=chair.user, session_id=session.pk)


def test_a_participant_absent_from_the_defence_has_not_defended(commission, finished):
    apps, group, day = finished
    session = schedule(commission, group, day)
    first, second = session.defences.order_by("application_id")
    with on(day):
        services.defence_mark_absent(
            actor=commission.secretary, session_id=session.pk, defence_id=second.pk, absent=True
        )
        for seat in commission.seats:
            score(seat, session, first, 10)
        with pytest.raises(Conflict):
            score(commission.seats[0], session, second, 10)
        services.session_confirm(actor=commission.chair, session_id=session.pk)
    second.application.refresh_from_db()
    assert second.application.status == Status.NOT_DEFENDED
    assert StatusChange.objects.filter(application=second.application).last().reason == "Absent from the defence."


def test_without_a_quorum_the_session_cannot_be_confirmed(district, finished):
    commission = make_commission(district, members=5)
    apps, group, day = finished
    session = schedule(commission, group, day, present=commission.seats[:2])
    with on(day):
        score_all(session, commission.seats[:2])
        with pytest.raises(ValidationError) as exc:
            services.session_confirm(actor=commission.chair, session_id=session.pk)
    assert "No quorum: 2 members present; at least 3 are needed" in exc.value.messages[0]
    assert set(Defence.objects.values_list("outcome", flat=True)) == {""}
    assert DefenceSession.objects.get(pk=session.pk).state == DefenceSession.State.SCHEDULED


def test_a_session_is_confirmed_only_once_everyone_present_has_scored(commission, finished):
    apps, group, day = finished
    session = schedule(commission, group, day)
    with on(day):
        score_all(session, commission.seats[:2])
        with pytest.raises(ValidationError) as exc:
            services.session_confirm(actor=commission.chair, session_id=session.pk)
    assert "Not every member present has scored" in exc.value.messages[0]


def test_the_protocol_is_rendered_by_the_task_in_kazakh_and_russian_once(
    commission, finished, django_capture_on_commit_callbacks
):
    apps, group, day = finished
    session = schedule(commission, group, day)
    with on(day):
        score_all(session, commission.seats)
        with django_capture_on_commit_callbacks(execute=True):
            services.session_confirm(actor=commission.chair, session_id=session.pk)
    session.refresh_from_db()
    assert session.protocol_state == ProtocolState.READY and session.protocol_attempts == 1
    text = pdf_text(session.protocol.open("rb").read())
    assert "Қорғау отырысының хаттамасы" in text and "Протокол заседания по защите" in text
    assert apps[0].last_name in text and commission.chair.full_name in text
    assert "қорғады" in text and "защитил" in text
    assert "Өлшемдер: мүшелер қойған балдардың орташасы" in text and "Критерии: среднее оценок членов" in text
    # Delivered again (a relay, the sweeper): nothing is rendered a second time.
    assert tasks.render_protocol_task(session.pk) == "ready"
    session.refresh_from_db()
    assert session.protocol_attempts == 1


def test_the_sweeper_queues_again_a_protocol_left_rendering_by_a_dead_worker(commission, finished):
    apps, group, day = finished
    session = schedule(commission, group, day)
    with on(day):
        score_all(session, commission.seats)
        services.session_confirm(actor=commission.chair, session_id=session.pk)  # its message never runs here
    long_ago = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
    DefenceSession.objects.filter(pk=session.pk).update(
        protocol_state=ProtocolState.RENDERING, protocol_queued_at=long_ago, protocol_started_at=long_ago
    )
    assert jobs.sweep(["commissions.protocol"])["commissions.protocol"] == {"requeued": 1, "failed": 0}
    session.refresh_from_db()
    assert session.protocol_state == ProtocolState.READY
    assert jobs.sweep(["commissions.protocol"])["commissions.protocol"] == {"requeued": 0, "failed": 0}


def test_a_protocol_that_fails_to_render_is_retried_then_failed_with_the_reason(commission, finished, monkeypatch):
    """The old task caught every error and marked the protocol failed, so its retry never fired."""
    from commissions import protocol

    apps, group, day = finished
    session = schedule(commission, group, day)
    with on(day):
        score_all(session, commission.seats)
        services.session_confirm(actor=commission.chair, session_id=session.pk)  # its message never runs here
    calls = []

    def broken(session):
        calls.append(1)
        if len(calls) < 3:
            raise ConnectionError("storage unreachable")
        return b"%PDF-1.7 test"

    monkeypatch.setattr(protocol, "render", broken)
    assert tasks.render_protocol_task.apply(args=[session.pk]).get() == "ready"
    session.refresh_from_db()
    assert len(calls) == 3 and session.protocol_attempts == 3 and session.protocol_state == ProtocolState.READY
