"""Every change a commission makes: decisions on expulsion cases, defence sessions, scores, the
confirmation of outcomes, and the protocol's rendering queued (docs/architecture.md "Commissions")."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import policy
from accounts.models import User
from applications import pathway
from applications.models import Application, Status
from commissions import outcome, selectors
from commissions.models import (
    CaseDecision,
    CommissionMember,
    Decision,
    Defence,
    DefenceSession,
    Outcome,
    ProtocolState,
    Score,
    Scoresheet,
    SessionCriterion,
)
from core import jobs
from core.errors import Conflict, NotFound, Refused
from training.models import ExpulsionCase, TrainingGroup


def _seat(actor: User) -> CommissionMember:
    seat = selectors.seat_of(actor)
    if seat is None:
        raise Refused(_("This page is for members of a commission in their term of office."), code="commissions")
    return seat


def _present(commission, ids, day: datetime.date) -> list[CommissionMember]:
    """The members present: members of the commission in term on the day, every id checked."""
    wanted = {int(i) for i in ids}
    members = list(selectors.members_in_term(commission, day).filter(pk__in=wanted))
    if len(members) != len(wanted):
        raise ValidationError({"present": [_("Choose members of the commission in their term on that day.")]})
    return members


def _quorum(commission, present: list, day: datetime.date) -> outcome.Quorum:
    in_term = selectors.members_in_term(commission, day).count()
    return outcome.quorum(len(present), in_term, commission.quorum_min)


# --- Expulsion cases ---------------------------------------------------------------------------------


def case_decision_errors(case, commission, decision, reason, decided_on, present_ids) -> dict[str, list]:
    """What is wrong with a decision on the case, by field ({} when nothing): a decision, a reason,
    a date from the case's opening to today, a quorum of the members present that day. The case page
    reads it before it asks "Yes?"; case_decide enforces it."""
    if decision not in Decision.values:
        return {"decision": [_("Choose the decision.")]}
    if not (reason or "").strip():
        return {"reason": [_("Give the reason for the decision; the participant is told it.")]}
    opened = timezone.localdate(case.opened_at)
    if decided_on > timezone.localdate():
        return {"decided_on": [_("The decision cannot be dated in the future.")]}
    if decided_on < opened:
        return {"decided_on": [_("The case opened on %(day)s; the decision cannot be earlier.") % {"day": opened}]}
    try:
        present = _present(commission, present_ids, decided_on)
    except ValidationError as exc:
        return exc.message_dict
    quorum = _quorum(commission, present, decided_on)
    if not quorum.reached:
        return {"present": [quorum.message()]}
    return {}


@transaction.atomic
def case_decide(
    *, actor: User, case_id: int, decision: str, reason: str, decided_on: datetime.date, present_ids
) -> CaseDecision:
    """The secretary records the commission's decision on an expulsion case: expel (the participant
    leaves the group and cannot defend) or keep in training, with the reason, the date and the members
    present. The participant is told the decision and its reason (the path's notification)."""
    seat = _seat(actor)
    found = ExpulsionCase.objects.filter(pk=case_id, district_id__in=seat.commission.served_district_ids()).first()
    if found is None:
        raise NotFound(_("This case does not exist or belongs to another commission."))
    application = Application.objects.select_for_update().get(pk=found.application_id)
    case = ExpulsionCase.objects.select_for_update().get(pk=found.pk)
    policy.require(actor, "commissions.decide_expulsion", case)
    if case.state != ExpulsionCase.State.OPEN:
        raise Conflict(_("This case is no longer open (%(state)s).") % {"state": case.get_state_display()})
    commission = seat.commission
    errors = case_decision_errors(case, commission, decision, reason, decided_on, present_ids)
    if errors:
        raise ValidationError(errors)
    reason = reason.strip()
    present = _present(commission, present_ids, decided_on)
    record = CaseDecision.objects.create(
        case=case,
        commission=commission,
        decision=decision,
        reason=reason[:500],
        decided_on=decided_on,
        recorded_by=actor,
    )
    record.present.set(present)
    case.state = ExpulsionCase.State.DECIDED
    case.closed_at = timezone.now()
    case.closed_reason = reason[:500]
    case.save(update_fields=["state", "closed_at", "closed_reason"])
    move = "commissions.expel" if decision == Decision.EXPEL else "commissions.keep"
    pathway.fire(application, move, actor=actor, reason=reason)
    return record


# --- Defence sessions --------------------------------------------------------------------------------


def frozen_plans(application_ids) -> dict:
    """The version of the business plan the commission reads, of each application that has one (the
    plans stage's rule: the version frozen for the defence)."""
    from plans.selectors import versions_for_commission

    return versions_for_commission(list(application_ids))


def _ready_to_defend(group: TrainingGroup) -> list[Application]:
    """The group's participants who finished the course, have no defence yet and whose plan is frozen."""
    candidates = list(
        Application.objects.filter(
            memberships__group=group,
            memberships__left_at__isnull=True,
            status=Status.COURSE_FINISHED,
            defence__isnull=True,
        ).order_by("last_name", "first_name", "pk")
    )
    frozen = frozen_plans(a.pk for a in candidates)
    return [a for a in candidates if a.pk in frozen]


@transaction.atomic
def session_schedule(*, actor: User, group_id: int, held_on: datetime.date, place: str, present_ids) -> DefenceSession:
    """The secretary schedules a defence session for a group: the date, the place and the members who
    will sit. The group's participants who finished the course with a frozen plan are put in it."""
    seat = _seat(actor)
    group = (
        TrainingGroup.objects.select_for_update()
        .filter(pk=group_id, district_id__in=seat.commission.served_district_ids())
        .first()
    )
    if group is None:
        raise NotFound(_("This group does not exist or is not served by your commission."))
    policy.require(actor, "commissions.schedule_session", group)
    today = timezone.localdate()
    last_day = group.days.order_by("-date").values_list("date", flat=True).first()
    if last_day is not None and held_on <= last_day:
        raise ValidationError(
            {"held_on": [_("The defence comes after the course's last teaching day (%(day)s).") % {"day": last_day}]}
        )
    if not today - datetime.timedelta(days=60) <= held_on <= today + datetime.timedelta(days=365):
        raise ValidationError({"held_on": [_("Choose a date from two months ago to a year from today.")]})
    place = (place or "").strip()
    if not place:
        raise ValidationError({"place": [_("Say where the session is held.")]})
    present = _present(seat.commission, present_ids, held_on)
    if not present:
        raise ValidationError({"present": [_("Choose the members who sit at the session.")]})
    participants = _ready_to_defend(group)
    if not participants:
        raise ValidationError(_("Nobody in this group has finished the course with a frozen business plan yet."))
    session = DefenceSession.objects.create(
        commission=seat.commission,
        group=group,
        district_id=group.district_id,
        held_on=held_on,
        place=place[:300],
        created_by=actor,
    )
    session.present.set(present)
    Defence.objects.bulk_create(Defence(session=session, application=a) for a in participants)
    return session


def _locked_session(actor: User, session_id: int) -> DefenceSession:
    seat = _seat(actor)
    session = (
        DefenceSession.objects.select_for_update()
        .select_related("commission__organisation", "group")
        .filter(pk=session_id, commission_id=seat.commission_id)
        .first()
    )
    if session is None:
        raise NotFound(_("This session does not exist or belongs to another commission."))
    return session


def _open(session: DefenceSession) -> None:
    if session.is_confirmed:
        raise Conflict(_("The outcomes of this session are confirmed; it no longer changes."))


@transaction.atomic
def session_add_participants(*, actor: User, session_id: int) -> int:
    """Put in the session the group's participants whose plan was frozen since it was scheduled."""
    session = _locked_session(actor, session_id)
    policy.require(actor, "commissions.schedule_session", session)
    _open(session)
    participants = _ready_to_defend(session.group)
    Defence.objects.bulk_create(Defence(session=session, application=a) for a in participants)
    return len(participants)


@transaction.atomic
def defence_mark_absent(*, actor: User, session_id: int, defence_id: int, absent: bool) -> Defence:
    """The secretary marks a participant absent from the defence (not defended), or present again."""
    session = _locked_session(actor, session_id)
    policy.require(actor, "commissions.mark_absence", session)
    _open(session)
    defence = Defence.objects.filter(pk=defence_id, session=session).first()
    if defence is None:
        raise NotFound(_("This participant is not in the session."))
    defence.absent = absent
    defence.save(update_fields=["absent"])
    return defence


def _freeze_criteria(session: DefenceSession) -> list:
    """The session's criteria, frozen onto it at its first score (its row is locked by the caller), so
    a criterion added or changed afterwards cannot change an outcome already scored."""
    if session.criteria_frozen_at is not None:
        return selectors.criteria_for(session)
    criteria = selectors.criteria_of(session.commission)
    SessionCriterion.objects.bulk_create(
        SessionCriterion(session=session, criterion=c, max_score=c.max_score, position=c.position) for c in criteria
    )
    session.criteria_frozen_at = timezone.now()
    session.save(update_fields=["criteria_frozen_at"])
    return criteria


@transaction.atomic
def defence_score(*, actor: User, session_id: int, defence_id: int, points: dict, comment: str = "") -> Scoresheet:
    """A member present scores one defence on every criterion of the session (frozen onto it at its first
    score), with a comment. They may revise their sheet until every member present has scored it; then the
    sheets are closed and shown."""
    session = _locked_session(actor, session_id)
    policy.require(actor, "commissions.score", session)
    _open(session)
    seat = _seat(actor)
    if session.held_on > timezone.localdate():
        raise ValidationError(
            _("The defences are scored on the day of the session, %(day)s.") % {"day": session.held_on}
        )
    defence = Defence.objects.filter(pk=defence_id, session=session).select_related("application").first()
    if defence is None:
        raise NotFound(_("This participant is not in the session."))
    if defence.absent:
        raise Conflict(_("%(name)s did not come to the defence.") % {"name": defence.application.full_name})
    present_ids = set(session.present.values_list("pk", flat=True))
    scored = set(
        Scoresheet.objects.filter(defence=defence, member_id__in=present_ids).values_list("member_id", flat=True)
    )
    if scored >= present_ids:
        raise Conflict(_("Every member present has scored this defence; the scores are closed."))
    criteria = _freeze_criteria(session)
    errors, values = {}, {}
    for criterion in criteria:
        raw = str(points.get(criterion.pk, points.get(str(criterion.pk), ""))).strip()
        value = int(raw) if raw.isascii() and raw.isdigit() else -1
        if not 0 <= value <= criterion.max_score:
            errors[f"c{criterion.pk}"] = [
                _("Give %(name)s from 0 to %(max)s.") % {"name": criterion.name, "max": criterion.max_score}
            ]
        values[criterion.pk] = value
    if errors:
        raise ValidationError(errors)
    sheet, _created = Scoresheet.objects.update_or_create(
        defence=defence,
        member=seat,
        defaults={"comment": (comment or "").strip()[:1000], "total": sum(values.values()), "at": timezone.now()},
    )
    sheet.scores.all().delete()
    Score.objects.bulk_create(Score(sheet=sheet, criterion_id=pk, points=value) for pk, value in values.items())
    return sheet


def confirm_refusal(session: DefenceSession, views: list | None = None) -> str:
    """Why the session's outcomes cannot be confirmed now, or "" when they can: held (not a future
    day), a quorum present, every remaining defence scored by every member present. The page reads it
    before it asks "Yes?"; session_confirm enforces it, on the participants still confirmable."""
    if session.held_on > timezone.localdate():
        return _("The session is on %(day)s; confirm it after it is held.") % {"day": session.held_on}
    quorum = _quorum(session.commission, list(session.present.all()), session.held_on)
    if not quorum.reached:
        return str(quorum.message())
    if views is None:
        confirmable = pathway.move("commissions.defended").source
        views = [v for v in selectors.session_defences(session, None) if v.defence.application.status in confirmable]
    waiting = [v.defence.application.full_name for v in views if not v.complete]
    if waiting:
        return _("Not every member present has scored: %(names)s.") % {"names": ", ".join(waiting)}
    return ""


@transaction.atomic
def session_confirm(*, actor: User, session_id: int) -> "Confirmed":
    """The chair confirms the session's outcomes by the rule of commissions/outcome.py: each participant
    defended or not (absent: not), through the path; the protocol is queued for rendering."""
    session = _locked_session(actor, session_id)
    policy.require(actor, "commissions.confirm_outcome", session)
    _open(session)
    views = selectors.session_defences(session, None)
    # Lock the participants first: one who moved on meanwhile (withdrew) is skipped and named, not a
    # Conflict for the whole group.
    locked = Application.objects.select_for_update().in_bulk([v.defence.application_id for v in views])
    confirmable = pathway.move("commissions.defended").source
    skipped = [v for v in views if locked[v.defence.application_id].status not in confirmable]
    views = [v for v in views if v not in skipped]
    refusal = confirm_refusal(session, views)
    if refusal:
        raise ValidationError(refusal)
    threshold = session.commission.pass_threshold
    for view in sorted(views, key=lambda v: v.defence.application_id):
        defence, result = view.defence, view.result
        if result is None:  # every defence is complete here (checked above)
            raise Conflict(_("Not every member present has scored: %(names)s.") % {"names": defence.application})
        application = locked[defence.application_id]
        defended = bool(result.defended)
        defence.outcome = Outcome.DEFENDED if defended else Outcome.NOT_DEFENDED
        defence.score_percent = result.percent
        defence.save(update_fields=["outcome", "score_percent"])
        pathway.fire(
            application,
            "commissions.defended" if defended else "commissions.not_defended",
            actor=actor,
            reason=_reason(result, threshold),
        )
    now = timezone.now()
    session.state = DefenceSession.State.CONFIRMED
    session.confirmed_by = actor
    session.confirmed_at = now
    session.save(update_fields=["state", "confirmed_by", "confirmed_at"])
    _queue_protocol(session, now)
    return Confirmed(session, [v.defence.application.full_name for v in skipped])


@dataclass(frozen=True)
class Confirmed:
    """A confirmed session, and the participants left out because they moved on meanwhile."""

    session: DefenceSession
    skipped: list[str]

    def message(self) -> str:
        done = _("The outcomes are confirmed; the participants are told and the protocol is being made.")
        if not self.skipped:
            return str(done)
        return f"{done} {skipped_message(self.skipped)}"


def skipped_message(names: list[str]) -> str:
    return ngettext(
        "%(count)s skipped: withdrawn meanwhile (%(names)s).",
        "%(count)s skipped: withdrawn meanwhile (%(names)s).",
        len(names),
    ) % {"count": len(names), "names": ", ".join(names)}


def _reason(result: outcome.Result, threshold: Decimal):
    def text() -> str:
        if result.absent:
            return _("Absent from the defence.")
        return _("Mean score %(score)s %% of the maximum; the threshold is %(threshold)s %%.") % {
            "score": result.percent,
            "threshold": format(threshold.normalize(), "f"),
        }

    return text


def _queue_protocol(session: DefenceSession, now) -> None:
    from commissions.tasks import PROTOCOL

    jobs.start(PROTOCOL, session, protocol_queued_at=now)


@transaction.atomic
def protocol_request(*, actor: User, session_id: int) -> DefenceSession:
    """Render the protocol again (it failed, or the secretary wants a fresh copy)."""
    session = _locked_session(actor, session_id)
    policy.require(actor, "commissions.request_protocol", session)
    if not session.is_confirmed:
        raise Conflict(_("The protocol is made once the chair has confirmed the outcomes."))
    if session.protocol_state in (ProtocolState.QUEUED, ProtocolState.RENDERING):
        return session
    _queue_protocol(session, timezone.now())
    return session
