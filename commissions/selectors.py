"""What a commission member reads: their seat, their commission's queue, a case, a session with its
scores (hidden from the other members until every member present has scored)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from accounts.models import Role
from applications.models import Status
from commissions import outcome
from commissions.models import (
    CaseDecision,
    Commission,
    CommissionMember,
    Criterion,
    Defence,
    DefenceSession,
    Scoresheet,
    SessionCriterion,
)
from training.models import ExcuseReason, ExpulsionCase, MarkKind, TrainingGroup

_CACHE = "_bastau_commission_seat"


def seat_of(user, day: datetime.date | None = None) -> CommissionMember | None:
    """The user's seat on their commission in term on the day (today by default), with the commission
    and the districts it serves; cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or user.role != Role.COMMISSION or not user.is_active:
        return None
    day = day or timezone.localdate()
    cached = getattr(user, _CACHE, None)
    if cached is not None and cached[0] == day:
        return cached[1]
    seat = (
        CommissionMember.objects.in_term(day)
        .filter(user=user, commission__organisation_id=user.organisation_id)
        .select_related("commission__organisation")
        .prefetch_related("commission__districts")
        .first()
    )
    if seat is not None:
        seat.user = user  # the same account: no query to read it back
    setattr(user, _CACHE, (day, seat))
    return seat


def forget_seat(user) -> None:
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def served_district_ids(user) -> list[int]:
    seat = seat_of(user)
    return seat.commission.served_district_ids() if seat else []


def members_in_term(commission: Commission, day: datetime.date):
    return CommissionMember.objects.in_term(day).filter(commission=commission).select_related("user")


# --- The queue ---------------------------------------------------------------------------------------


def open_cases_for(user):
    return (
        ExpulsionCase.objects.filter(state=ExpulsionCase.State.OPEN, district_id__in=served_district_ids(user))
        .select_related("application", "membership__group")
        .order_by("opened_at", "pk")
    )


def sessions_for(user):
    seat = seat_of(user)
    if seat is None:
        return DefenceSession.objects.none()
    return (
        DefenceSession.objects.filter(commission_id=seat.commission_id)
        .select_related("group")
        .annotate(
            participants=Count("defences", distinct=True),
            members=Count("present", distinct=True),
            sheets=Count("defences__sheets", distinct=True),
            absent=Count("defences", filter=Q(defences__absent=True), distinct=True),
        )
    )


def groups_to_schedule(user):
    """Groups of the commission's districts with participants who finished the course and have no defence yet."""
    waiting = Q(
        memberships__left_at__isnull=True,
        memberships__application__status=Status.COURSE_FINISHED,
        memberships__application__defence__isnull=True,
    )
    return (
        TrainingGroup.objects.filter(district_id__in=served_district_ids(user))
        .annotate(waiting=Count("memberships", filter=waiting, distinct=True))
        .filter(waiting__gt=0)
        .select_related("stream__year")  # the form's choice labels name the stream, which names its year
        .order_by("course_start", "name")
    )


@dataclass
class Queue:
    cases: list
    to_hold: list
    to_confirm: list
    confirmed: list
    groups: list


def queue_for(user, today: datetime.date | None = None) -> Queue:
    today = today or timezone.localdate()
    cases = list(open_cases_for(user))
    sessions = list(sessions_for(user).order_by("held_on", "pk"))
    to_hold = [s for s in sessions if not s.is_confirmed and s.held_on > today]
    to_confirm = [s for s in sessions if not s.is_confirmed and s.held_on <= today]
    confirmed = [s for s in sessions if s.is_confirmed][-20:]
    return Queue(cases, to_hold, to_confirm, confirmed, list(groups_to_schedule(user)))


# --- A case ------------------------------------------------------------------------------------------


def case_for(user, case_id: int) -> ExpulsionCase | None:
    return (
        ExpulsionCase.objects.filter(pk=case_id, district_id__in=served_district_ids(user))
        .select_related("application", "membership__group__stream")
        .first()
    )


def _document_url(code: str) -> str:
    """The link to the document attached to an excused day (training's page, which checks who opens it)."""
    from django.urls import NoReverseMatch, reverse

    if not code:
        return ""
    try:
        return reverse("training:absence_document_file", args=[code])
    except NoReverseMatch:  # a training stage without attached documents
        return ""


def missed_days(case: ExpulsionCase) -> list[dict]:
    """The case's missed days with the labels of their kind and reason, as the commission reads them."""
    kinds, reasons = dict(MarkKind.choices), dict(ExcuseReason.choices)
    return [
        {
            "date": datetime.date.fromisoformat(day["date"]),
            "kind_label": kinds.get(day.get("kind"), day.get("kind", "")),
            "reason_label": reasons.get(day.get("reason_code"), ""),
            "reason": day.get("reason", ""),
            "document_url": _document_url(day.get("document", "")),
        }
        for day in case.missed_days
    ]


def decision_of(case: ExpulsionCase) -> CaseDecision | None:
    return (
        CaseDecision.objects.filter(case=case).prefetch_related("present__user").select_related("recorded_by").first()
    )


# --- A session ---------------------------------------------------------------------------------------


@dataclass
class DefenceView:
    defence: Defence
    own: Scoresheet | None
    sheets: list  # the other members' sheets, only once every member present has scored
    scored: int  # how many members present have scored
    complete: bool
    result: "outcome.Result | None" = None
    plan_url: str = ""
    own_scores: dict = field(default_factory=dict)


def session_for(user, code) -> DefenceSession | None:
    seat = seat_of(user)
    if seat is None:
        return None
    return (
        DefenceSession.objects.filter(code=code, commission_id=seat.commission_id)
        .select_related("group__stream", "commission__organisation", "district")
        .prefetch_related(Prefetch("present", queryset=CommissionMember.objects.select_related("user")))
        .first()
    )


def criteria_of(commission: Commission) -> list[Criterion]:
    """The commission's criteria in use now: those a session not scored yet will be scored on."""
    return list(Criterion.objects.filter(commission=commission, is_active=True).order_by("position", "pk"))


def criteria_for(session: DefenceSession) -> list[Criterion]:
    """The criteria the session is scored and decided on (one query): those frozen onto it at its first
    score, with the maxima and the order they had then; before that, the commission's criteria in use."""
    if session.criteria_frozen_at is None:
        return criteria_of(session.commission)
    criteria = []
    for row in SessionCriterion.objects.filter(session=session).select_related("criterion"):
        criterion = row.criterion
        criterion.max_score, criterion.position = row.max_score, row.position
        criteria.append(criterion)
    return criteria


def session_defences(
    session: DefenceSession, viewer_seat: CommissionMember | None, criteria: list[Criterion] | None = None
) -> list[DefenceView]:
    """Each defence of the session with the viewer's own sheet and, once every member present has scored
    it, everyone's: a member never sees another's scores before that (issue 11, hidden scores)."""
    present_ids = {m.pk for m in session.present.all()}
    criteria = criteria_for(session) if criteria is None else criteria
    max_total = sum(c.max_score for c in criteria)
    defences = list(
        Defence.objects.filter(session=session)
        .select_related("application")
        .prefetch_related(
            Prefetch(
                "sheets",
                queryset=Scoresheet.objects.filter(member_id__in=present_ids)
                .select_related("member__user")
                .prefetch_related("scores"),
            )
        )
    )
    views = []
    for defence in defences:
        sheets = list(defence.sheets.all())
        own = next((s for s in sheets if viewer_seat and s.member_id == viewer_seat.pk), None)
        complete = defence.absent or (bool(present_ids) and {s.member_id for s in sheets} >= present_ids)
        result = outcome.defence_result(
            absent=defence.absent,
            totals=[s.total for s in sheets],
            members_present=len(present_ids),
            max_total=max_total,
            threshold=session.commission.pass_threshold,
        )
        views.append(
            DefenceView(
                defence=defence,
                own=own,
                sheets=sheets if complete else [],
                scored=len(sheets),
                complete=complete,
                result=result if complete else None,
                own_scores={score.criterion_id: score.points for score in own.scores.all()} if own else {},
            )
        )
    return views


def visible_sheets(session: DefenceSession, defence: Defence, viewer_seat) -> list[Scoresheet]:
    """The sheets of a defence the viewer may read: their own, and all of them once every member present
    has scored it."""
    present_ids = set(session.present.values_list("pk", flat=True))
    sheets = list(Scoresheet.objects.filter(defence=defence, member_id__in=present_ids).prefetch_related("scores"))
    if {s.member_id for s in sheets} >= present_ids:
        return sheets
    return [s for s in sheets if viewer_seat is not None and s.member_id == viewer_seat.pk]


# --- Outcomes (the API) ------------------------------------------------------------------------------


def outcomes_for(user):
    """The defences of confirmed sessions the user may read, with the application, the session and its
    group, in one query: a commission member's own commission's sessions, other staff their area's."""
    if not getattr(user, "is_authenticated", False):
        return Defence.objects.none()
    if user.role == Role.COMMISSION and not user.is_superuser:
        seat = seat_of(user)
        if seat is None:
            return Defence.objects.none()
        sessions = DefenceSession.objects.filter(commission_id=seat.commission_id)
    else:
        sessions = DefenceSession.objects.visible_to(user)
    return Defence.objects.filter(session__in=sessions.filter(state=DefenceSession.State.CONFIRMED)).select_related(
        "application", "session__group"
    )
