"""The commission's pages: its queue, a case, a session (docs/architecture.md "Commissions")."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import policy
from accounts.access import action_required
from commissions import outcome, selectors, services
from commissions.forms import DecisionForm, ScheduleForm
from commissions.models import Decision, ProtocolState
from core.confirm import confirmation, confirmed
from core.errors import Refused, messages_of
from core.models import is_number


def _plan_url(version) -> str:
    try:
        return reverse("plans:version", args=[version.code])
    except NoReverseMatch:
        return ""


@action_required("commissions.view_queue")
def queue(request):
    seat = selectors.seat_of(request.user)
    data = selectors.queue_for(request.user)
    form = None
    if policy.can(request.user, "commissions.schedule_session", seat.commission) and data.groups:
        members = list(selectors.members_in_term(seat.commission, timezone.localdate()))
        form = ScheduleForm(groups=data.groups, members=members)
    return render(request, "commissions/queue.html", {"seat": seat, "queue": data, "form": form})


@action_required("commissions.view_queue")
@require_POST
def schedule(request):
    seat = selectors.seat_of(request.user)
    data = selectors.queue_for(request.user)
    members = list(selectors.members_in_term(seat.commission, timezone.localdate()))
    form = ScheduleForm(request.POST, groups=data.groups, members=members)
    if form.is_valid():
        try:
            cleaned = form.cleaned_data
            session = services.session_schedule(
                actor=request.user,
                group_id=cleaned["group"],
                held_on=cleaned["held_on"],
                place=cleaned["place"],
                present_ids=cleaned["present"],
            )
            messages.success(request, _("Session scheduled: %(n)s participants.") % {"n": session.defences.count()})
            return redirect("commissions:session", code=session.code)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "commissions/queue.html", {"seat": seat, "queue": data, "form": form}, status=400)


@action_required("commissions.view_queue")
def case_detail(request, case_id):
    case = selectors.case_for(request.user, case_id)
    if case is None:
        raise Http404
    seat = selectors.seat_of(request.user)
    can_decide = case.state == case.State.OPEN and policy.can(request.user, "commissions.decide_expulsion", case)
    form = None
    if can_decide:
        members = list(selectors.members_in_term(seat.commission, timezone.localdate()))
        initial = {"decided_on": timezone.localdate(), "present": [m.pk for m in members]}
        form = DecisionForm(request.POST or None, members=members, initial=initial)
        if request.method == "POST" and form.is_valid() and not confirmed(request):
            data = form.cleaned_data
            errors = services.case_decision_errors(
                case, seat.commission, data["decision"], data["reason"], data["decided_on"], data["present"]
            )
            if not errors:
                return _confirm_case(request, case, form)
            for name, field_errors in errors.items():  # said on the field, before asking "Yes?"
                form.add_error(name if name in form.fields else None, field_errors)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.case_decide(
                    actor=request.user,
                    case_id=case.pk,
                    decision=data["decision"],
                    reason=data["reason"],
                    decided_on=data["decided_on"],
                    present_ids=data["present"],
                )
                messages.success(request, _("The decision has been recorded and the participant told."))
                return redirect("commissions:case", case_id=case.pk)
            except ValidationError as exc:
                form.add_error(None, exc)
    elif request.method == "POST":
        raise Refused(
            _("Expulsion cases are recorded by the secretary of the commission of the participant's district.")
        )
    return render(
        request,
        "commissions/case.html",
        {
            "case": case,
            "form": form,
            "decision": selectors.decision_of(case),
            "seat": seat,
            "missed": selectors.missed_days(case),
        },
        status=400 if form is not None and form.errors else 200,
    )


def _confirm_case(request, case, form):
    """A decision on an expulsion case cannot be undone: the page names the participant, the decision and
    what follows, and asks (core/confirm.py)."""
    data = form.cleaned_data
    name = case.application.full_name
    group = case.membership.group.name
    told = _("%(name)s is told the decision and its reason by SMS and e-mail at once.") % {"name": name}
    present = _("Members present: %(n)s.") % {"n": len(data["present"])}
    if data["decision"] == Decision.EXPEL:
        title = _("Expel %(name)s from group %(group)s?") % {"name": name, "group": group}
        consequences = [
            _("%(name)s leaves the group and cannot defend a business plan or receive a certificate;") % {"name": name},
            _("the reason recorded: %(reason)s") % {"reason": data["reason"]},
            present,
            told,
        ]
        label = _("Yes, expel")
    else:
        title = _("Keep %(name)s in group %(group)s?") % {"name": name, "group": group}
        consequences = [
            _("the case is closed and %(name)s carries on with the course;") % {"name": name},
            _("the reason recorded: %(reason)s") % {"reason": data["reason"]},
            present,
            told,
        ]
        label = _("Yes, keep in training")
    url = reverse("commissions:case", args=[case.pk])
    return confirmation(
        request,
        title=title,
        action=url,
        consequences=consequences,
        confirm_label=label,
        cancel_url=url,
        cancel_label=_("No, back to the case"),
        danger=data["decision"] == Decision.EXPEL,
    )


def _session(request, code):
    session = selectors.session_for(request.user, code)
    if session is None:
        raise Http404
    return session


@action_required("commissions.view_queue")
def session_detail(request, code):
    session = _session(request, code)
    seat = selectors.seat_of(request.user)
    criteria = selectors.criteria_for(session)
    views = selectors.session_defences(session, seat, criteria)
    plans = services.frozen_plans(v.defence.application_id for v in views)
    for view in views:
        version = plans.get(view.defence.application_id)
        view.plan_url = _plan_url(version) if version is not None else ""
    present = list(session.present.all())
    in_term = selectors.members_in_term(session.commission, session.held_on).count()
    quorum = outcome.quorum(len(present), in_term, session.commission.quorum_min)
    today = timezone.localdate()
    is_open = not session.is_confirmed
    return render(
        request,
        "commissions/session.html",
        {
            "session": session,
            "seat": seat,
            "present": present,
            "criteria": criteria,
            "views": views,
            "quorum": quorum,
            "can_score": is_open
            and session.held_on <= today
            and policy.can(request.user, "commissions.score", session),
            "can_mark": is_open and policy.can(request.user, "commissions.mark_absence", session),
            "can_confirm": is_open and policy.can(request.user, "commissions.confirm_outcome", session),
            "can_protocol": policy.can(request.user, "commissions.request_protocol", session),
            "all_scored": all(v.complete for v in views),
            "today": today,
            **_protocol_context(session),
        },
    )


def _protocol_context(session) -> dict:
    return {
        "protocol_working": session.protocol_state in (ProtocolState.QUEUED, ProtocolState.RENDERING),
        "protocol_ready": session.protocol_state == ProtocolState.READY,
        "protocol_failed": session.protocol_state == ProtocolState.FAILED,
    }


def _back(session):
    return redirect("commissions:session", code=session.code)


def _act(request, session, call, done: str | Callable[[Any], str]):
    try:
        result = call()
        messages.success(request, done(result) if callable(done) else done)
    except ValidationError as exc:  # a Conflict too; Refused and NotFound answer 403 / 404
        messages.error(request, " ".join(messages_of(exc)))
    return _back(session)


@action_required("commissions.view_queue")
@require_POST
def score(request, code):
    session = _session(request, code)
    defence_id = request.POST.get("defence", "")
    if not is_number(defence_id):
        raise Http404
    points = {key[1:]: value for key, value in request.POST.items() if key.startswith("c") and key[1:].isdigit()}
    return _act(
        request,
        session,
        lambda: services.defence_score(
            actor=request.user,
            session_id=session.pk,
            defence_id=int(defence_id),
            points=points,
            comment=request.POST.get("comment", ""),
        ),
        _("Your scores have been saved."),
    )


@action_required("commissions.view_queue")
@require_POST
def absent(request, code):
    session = _session(request, code)
    defence_id = request.POST.get("defence", "")
    if not is_number(defence_id):
        raise Http404
    mark = request.POST.get("absent") == "1"
    return _act(
        request,
        session,
        lambda: services.defence_mark_absent(
            actor=request.user, session_id=session.pk, defence_id=int(defence_id), absent=mark
        ),
        _("Marked absent.") if mark else _("Marked present."),
    )


@action_required("commissions.view_queue")
@require_POST
def add_participants(request, code):
    session = _session(request, code)
    return _act(
        request,
        session,
        lambda: services.session_add_participants(actor=request.user, session_id=session.pk),
        _("The list of participants has been brought up to date."),
    )


@action_required("commissions.view_queue")
@require_POST
def confirm(request, code):
    session = _session(request, code)
    if not confirmed(request):
        return _confirm_session(request, session)
    return _act(
        request,
        session,
        lambda: services.session_confirm(actor=request.user, session_id=session.pk),
        lambda confirmed: confirmed.message(),  # names those skipped: withdrawn meanwhile
    )


def _confirm_session(request, session):
    """Confirming a session's outcomes cannot be undone: the page says who defended and who did not, and
    asks; when the service would refuse (not held yet, no quorum, a defence not scored), the session
    page says why instead of asking."""
    policy.require(request.user, "commissions.confirm_outcome", session)
    refusal = services.confirm_refusal(session)
    if refusal:
        messages.error(request, refusal)
        return _back(session)
    views = selectors.session_defences(session, selectors.seat_of(request.user))
    defended = [v.defence.application.full_name for v in views if v.result and v.result.defended]
    not_defended = [v.defence.application.full_name for v in views if not (v.result and v.result.defended)]
    names = [_("%(name)s: defended") % {"name": n} for n in defended] + [
        _("%(name)s: not defended") % {"name": n} for n in not_defended
    ]
    url = reverse("commissions:session", args=[session.code])
    return confirmation(
        request,
        title=_("Confirm the outcomes for group %(group)s?") % {"group": session.group.name},
        action=reverse("commissions:confirm", args=[session.code]),
        consequences=[
            _("the outcomes become final: %(defended)s defended, %(not_defended)s not defended;")
            % {"defended": len(defended), "not_defended": len(not_defended)},
            _("the scores can no longer be changed;"),
            _("each participant is told by SMS and e-mail, and the protocol is made."),
        ],
        names=names,
        names_label=_("Participants"),
        confirm_label=_("Yes, confirm the outcomes"),
        cancel_url=url,
        cancel_label=_("No, back to the session"),
        danger=False,
    )


@action_required("commissions.view_queue")
@require_POST
def protocol_request(request, code):
    session = _session(request, code)
    return _act(
        request,
        session,
        lambda: services.protocol_request(actor=request.user, session_id=session.pk),
        _("The protocol is being made again."),
    )


@action_required("commissions.view_queue")
def protocol_state(request, code):
    """The protocol's state, polled by htmx while it is being made."""
    session = _session(request, code)
    return render(
        request,
        "commissions/_protocol.html",
        {
            "session": session,
            "can_protocol": policy.can(request.user, "commissions.request_protocol", session),
            **_protocol_context(session),
        },
    )


@action_required("commissions.view_queue")
def protocol_pdf(request, code):
    session = _session(request, code)
    if session.protocol_state != ProtocolState.READY or not session.protocol:
        raise Http404
    return FileResponse(
        session.protocol.open("rb"),
        content_type="application/pdf",
        filename=f"bastau-protocol-{session.held_on:%Y%m%d}-{session.pk}.pdf",
    )
