"""The financing pages: the graduate's referral request, the Chamber's referrals and follow-ups, and
the lender's inbox and decision. Who may is the policy's (financing/policy.py); what is seen is the
querysets' `visible_to`; every change goes through financing/services.py."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import policy
from accounts.access import action_required
from applications.models import Application, Status
from core.confirm import confirmation, confirmed
from financing import rules, selectors, services
from financing.forms import ApproveForm, DeclineForm, FollowUpForm, GuidanceForm, ReferralForm
from financing.models import FollowUp, LoanProgramme, Referral
from financing.templatetags.money import tenge
from plans.models import PdfState, Section

# --- The graduate -----------------------------------------------------------------------------------


def _own_application(request, code) -> Application:
    application = get_object_or_404(Application.objects.visible_to(request.user), code=code)
    policy.require(request.user, "financing.request", application)
    return application


def _guidance(programme, amount, term_months, today) -> dict:
    """What the form shows beside the fields: the cap today, and the monthly payment when it can be worked out."""
    context: dict = {"programme": programme}
    if programme is None:
        return context
    try:
        context["cap"] = rules.cap_on(programme, today)
    except ValidationError as exc:
        context["error"] = exc.messages[0]
        return context
    if amount and term_months:
        try:
            rules.check_request(programme, amount=amount, term_months=term_months, day=today)
        except ValidationError as exc:
            context["error"] = " ".join(exc.messages)
            return context
        context["payments"] = rules.monthly_payment(amount, programme.rate, term_months, programme.grace_months)
    return context


def request_referral(request, code):
    application = _own_application(request, code)
    if application.status != Status.CERTIFIED:
        messages.info(request, _("A loan referral is asked for once, by the holder of a certificate of completion."))
        return redirect("applications:status", code=code)
    today = timezone.localdate()
    offers = selectors.offers_on(today)
    programmes = LoanProgramme.objects.active().select_related("lender")
    initial = {"programme": offers[0].programme.pk} if offers else {}
    form = ReferralForm(request.POST or None, programmes=programmes, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.referral_request(
                actor=request.user,
                application_id=application.pk,
                programme_id=data["programme"].pk,
                amount=data["amount"],
                term_months=data["term_months"],
                purpose=data["purpose"],
            )
            messages.success(request, _("Your loan referral has been sent to the Chamber branch of your district."))
            return redirect("applications:status", code=code)
        except ValidationError as exc:
            form.add_error(None, exc)
    typed = form.cleaned_data if form.is_bound else {}
    chosen = typed.get("programme") or (offers[0].programme if offers else None)
    return render(
        request,
        "financing/request.html",
        {
            "application": application,
            "form": form,
            "offers": offers,
            "guidance": _guidance(chosen, typed.get("amount"), typed.get("term_months"), today),
            "today": today,
        },
    )


def guidance(request, code):
    """The htmx fragment of the request form: the cap today and the monthly payment for what is typed."""
    _own_application(request, code)
    form = GuidanceForm(request.GET, programmes=LoanProgramme.objects.active().select_related("lender"))
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    context = _guidance(data.get("programme"), data.get("amount"), data.get("term_months"), timezone.localdate())
    return render(request, "financing/_guidance.html", {"guidance": context})


# --- The Chamber branch -----------------------------------------------------------------------------


@action_required("financing.view_referrals")
def referrals(request):
    state = request.GET.get("state", "")
    state = "" if state == "all" else state
    rows = selectors.referrals_for(request.user)
    if state in Referral.State.values:
        rows = rows.filter(state=state)
    rows = list(rows[:200])
    can_forward = {
        r.pk for r in rows if r.state == Referral.State.REQUESTED and policy.can(request.user, "financing.forward", r)
    }
    return render(
        request,
        "financing/referrals.html",
        {"rows": rows, "state": state, "states": Referral.State.choices, "can_forward": can_forward},
    )


@action_required("financing.view_referrals")
@require_POST
def forward(request, code):
    referral = get_object_or_404(Referral.objects.visible_to(request.user), code=code)
    try:
        services.referral_forward(actor=request.user, referral_id=referral.pk)
        messages.success(request, _("The referral has been forwarded to %(lender)s.") % {"lender": referral.lender})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("financing:referrals")


# --- The financial institution ---------------------------------------------------------------------


@action_required("financing.view_inbox")
def inbox(request):
    state = request.GET.get("state", Referral.State.FORWARDED)
    state = "" if state == "all" else state
    rows = selectors.referrals_for(request.user)
    if state in Referral.State.values:
        rows = rows.filter(state=state)
    return render(
        request,
        "financing/inbox.html",
        {
            "rows": list(rows[:200]),
            "state": state,
            "states": [c for c in Referral.State.choices if c[0] != Referral.State.REQUESTED],
        },
    )


@action_required("financing.view_inbox")
def decide(request, code):
    try:
        referral = selectors.referral_detail(request.user, code)
    except Referral.DoesNotExist:
        raise Http404 from None
    policy.require(request.user, "financing.decide", referral)
    programme = referral.programme
    approve_form = ApproveForm(
        request.POST if "approve" in request.POST else None,
        initial={
            "amount": referral.amount,
            "rate": programme.rate,
            "term_months": referral.term_months,
            "approved_on": timezone.localdate(),
        },
        prefix="approve",
    )
    decline_form = DeclineForm(request.POST if "decline" in request.POST else None, prefix="decline")
    if request.method == "POST" and referral.state == Referral.State.FORWARDED:
        try:
            if "approve" in request.POST and approve_form.is_valid():
                if not confirmed(request):
                    services.approval_check(referral, **approve_form.cleaned_data)  # the terms, before asking
                    return _confirm_decision(request, referral, approve_form.cleaned_data)
                services.referral_approve(actor=request.user, referral_id=referral.pk, **approve_form.cleaned_data)
                messages.success(request, _("The loan is recorded as approved; the graduate is told."))
                return redirect("financing:inbox")
            if "decline" in request.POST and decline_form.is_valid():
                if not confirmed(request):
                    return _confirm_decision(request, referral, None, reason=decline_form.cleaned_data["reason"])
                services.referral_decline(actor=request.user, referral_id=referral.pk, **decline_form.cleaned_data)
                messages.success(request, _("The loan is recorded as declined; the graduate is told."))
                return redirect("financing:inbox")
        except ValidationError as exc:
            (approve_form if "approve" in request.POST else decline_form).add_error(None, exc)
    return render(
        request,
        "financing/decide.html",
        {
            "referral": referral,
            "application": referral.application,
            "approve_form": approve_form,
            "decline_form": decline_form,
            "open": referral.state == Referral.State.FORWARDED,
            "can_read_plan": referral.plan_version_id is not None
            and policy.can(request.user, "financing.read_plan", referral),
        },
    )


def _lender_referral(request, code) -> Referral:
    try:
        return selectors.referral_detail(request.user, code)
    except Referral.DoesNotExist:
        raise Http404 from None


@action_required("financing.view_inbox")
def referral_plan(request, code):
    """The frozen business plan of a referral, read-only: the version the commission read, for the lender
    the referral is addressed to (financing.read_plan)."""
    referral = _lender_referral(request, code)
    version = services.referral_plan(actor=request.user, referral=referral)  # Refused: 403, none: 404
    return render(
        request,
        "financing/plan.html",
        {
            "referral": referral,
            "application": referral.application,
            "version": version,
            "sections": [
                {"code": c, "title": t, "text": version.sections.get(c, ""), "comments": []} for c, t in Section.choices
            ],
            "rows": version.finance.get("startup", []),
            "can_comment": False,
        },
    )


@action_required("financing.view_inbox")
def referral_plan_pdf(request, code):
    """GET: the state of the plan's PDF (polled by htmx until it is ready). POST: make it."""
    referral = _lender_referral(request, code)
    if request.method == "POST":
        version = services.referral_plan_pdf_request(actor=request.user, referral=referral)
        if not request.htmx:
            return redirect(reverse("financing:plan", args=[code]) + "#pdf")
    else:
        version = services.referral_plan(actor=request.user, referral=referral)
    return render(request, "financing/_plan_pdf.html", {"referral": referral, "version": version})


@action_required("financing.view_inbox")
def referral_plan_pdf_download(request, code):
    referral = _lender_referral(request, code)
    version = services.referral_plan(actor=request.user, referral=referral)
    if version.pdf_state != PdfState.READY or not version.pdf_file:
        raise Http404
    return FileResponse(
        version.pdf_file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"business-plan-{version.plan_id}-v{version.number}.pdf",
    )


def _confirm_decision(request, referral, approval, *, reason=""):
    """A loan decision cannot be undone: the page says what is recorded and who is told, and asks."""
    name = referral.application.full_name
    told = _("%(name)s is told by SMS and e-mail at once.") % {"name": name}
    if approval is not None:
        title = _("Approve a loan of %(amount)s ₸ to %(name)s?") % {"amount": tenge(approval["amount"]), "name": name}
        consequences = [
            _("the loan is recorded as approved: %(amount)s ₸ at %(rate)s %% for %(months)s months, on %(day)s;")
            % {
                "amount": tenge(approval["amount"]),
                "rate": number_format(approval["rate"], use_l10n=True),
                "months": approval["term_months"],
                "day": date_format(approval["approved_on"], "SHORT_DATE_FORMAT"),
            },
            _("the decision cannot be changed afterwards;"),
            told,
        ]
        label = _("Yes, record the approval")
    else:
        title = _("Decline the loan to %(name)s?") % {"name": name}
        consequences = [
            _("the loan is recorded as declined, for this reason: %(reason)s") % {"reason": reason},
            _("the decision cannot be changed afterwards;"),
            told,
        ]
        label = _("Yes, record the refusal")
    return confirmation(
        request,
        title=title,
        action=reverse("financing:decide", args=[referral.code]),
        consequences=consequences,
        confirm_label=label,
        cancel_url=reverse("financing:decide", args=[referral.code]),
        cancel_label=_("No, back to the referral"),
        danger=approval is None,
    )


# --- Follow-ups --------------------------------------------------------------------------------------


@action_required("financing.view_followups")
def followups(request):
    today = timezone.localdate()
    rows = list(selectors.followups_due(request.user, today)[:200])
    return render(request, "financing/followups.html", {"rows": rows, "today": today})


@action_required("financing.view_followups")
def followup(request, code):
    try:
        follow_up = selectors.followup_detail(request.user, code)
    except FollowUp.DoesNotExist:
        raise Http404 from None
    policy.require(request.user, "financing.record_followup", follow_up)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_record(actor=request.user, follow_up_id=follow_up.pk, **form.cleaned_data)
            messages.success(request, _("The follow-up has been recorded."))
            return redirect("financing:followups")
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "financing/followup.html", {"follow_up": follow_up, "form": form})
