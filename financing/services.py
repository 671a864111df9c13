"""Every change to loan referrals and follow-ups. Each service checks its policy rule, locks the
application first (then its referral), and fires the path's move through `pathway.fire`."""

import calendar
import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import policy
from accounts.models import User
from applications import pathway
from applications.models import Application, Sector, Status
from core.errors import Conflict, NotFound
from financing import rules
from financing.models import MOST_JOBS, FollowUp, LoanProgramme, Referral
from financing.registration import validate_registration_number
from plans.models import PlanVersion
from plans.selectors import frozen_version_of
from plans.services import plan_pdf_queue

# Follow-ups come six and twelve months after the certificate (issue 12 "Outcomes").
MILESTONES = (FollowUp.Milestone.SIX, FollowUp.Milestone.TWELVE)


def _tenge(amount: int) -> str:
    return f"{amount:,}".replace(",", "\u00a0")


def _locked_application(application_id: int, actor: User) -> Application:
    application = (
        Application.objects.visible_to(actor).select_for_update(of=("self",)).filter(pk=application_id).first()
    )
    if application is None:
        raise NotFound(_("There is no such application in your reach."))
    return application


def _locked_referral(referral_id: int, actor: User) -> tuple[Application, Referral]:
    """The referral the actor may see and its application, both locked, application first."""
    found = Referral.objects.visible_to(actor).filter(pk=referral_id).values_list("application_id", flat=True).first()
    if found is None:
        raise NotFound(_("There is no such loan referral in your reach."))
    application = Application.objects.select_for_update().get(pk=found)
    referral = Referral.objects.select_for_update().select_related("programme", "lender").get(pk=referral_id)
    referral.application = application  # also caches application.loan_referral, which the decision rule reads
    return application, referral


@transaction.atomic
def referral_request(
    *,
    actor: User,
    application_id: int,
    programme_id: int,
    amount: int,
    term_months: int,
    purpose: str,
    today: datetime.date | None = None,
) -> Referral:
    """The holder of a certificate of completion asks for a referral under a programme: the amount and
    term are checked against the programme on the day (financing/rules.py), the frozen business plan
    is attached, and the application moves to "loan requested"."""
    today = today or timezone.localdate()
    application = _locked_application(application_id, actor)
    policy.require(actor, "financing.request", application)
    if application.status != Status.CERTIFIED:
        raise Conflict(_("A loan referral is asked for once, by the holder of a certificate of completion."))
    programme = LoanProgramme.objects.active().select_related("lender").filter(pk=programme_id).first()
    if programme is None:
        raise ValidationError({"programme": _("Choose one of the loan programmes on offer.")})
    purpose = (purpose or "").strip()
    errors = {}
    if not purpose:
        errors["purpose"] = _("Say what the loan is for.")
    elif len(purpose) > 1000:
        errors["purpose"] = _("At most 1,000 characters.")
    try:
        cap = rules.check_request(programme, amount=amount, term_months=term_months, day=today)
    except ValidationError as exc:
        errors.update({field: messages[0] for field, messages in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    referral = Referral.objects.create(
        application=application,
        programme=programme,
        lender=programme.lender,
        district_id=application.district_id,
        region_id=application.region_id,
        amount=amount,
        term_months=term_months,
        purpose=purpose,
        requested_on=today,
        mci_tenge=cap.mci_tenge,
        cap_tenge=cap.tenge,
        plan_version=frozen_version_of(application),
    )
    pathway.fire(
        application,
        "financing.request",
        actor=actor,
        reason=lambda: (
            _("%(programme)s, %(lender)s: %(amount)s tenge for %(term)s months.")
            % {
                "programme": programme.name,
                "lender": programme.lender.name,
                "amount": _tenge(amount),
                "term": term_months,
            }
        ),
    )
    return referral


@transaction.atomic
def referral_forward(*, actor: User, referral_id: int) -> Referral:
    """The Chamber branch of the district sends the referral to the programme's lender. The application
    stays "loan requested"; the referral row records who forwarded it, and when."""
    _application, referral = _locked_referral(referral_id, actor)
    policy.require(actor, "financing.forward", referral)
    if referral.state != Referral.State.REQUESTED:
        raise Conflict(_("This referral has been forwarded already."))
    referral.state = Referral.State.FORWARDED
    referral.forwarded_by = actor
    referral.forwarded_at = timezone.now()
    referral.save(update_fields=["state", "forwarded_by", "forwarded_at"])
    return referral


def _decidable(actor: User, referral_id: int) -> tuple[Application, Referral]:
    application, referral = _locked_referral(referral_id, actor)
    policy.require(actor, "financing.decide", referral)
    if referral.state != Referral.State.FORWARDED:
        raise Conflict(_("This referral has been decided already."))
    return application, referral


def approval_check(
    referral: Referral,
    *,
    amount: int,
    rate: Decimal,
    term_months: int,
    approved_on: datetime.date,
    today: datetime.date | None = None,
) -> Decimal:
    """The terms an approval may have (referral_approve's rule, asked by the decision page before it asks
    for confirmation): an amount up to the one asked for and the cap of the request's day, a rate up to
    the programme's, a term up to its longest, on a day from the forwarding to today. The rate, or
    ValidationError by field."""
    today = today or timezone.localdate()
    programme = referral.programme
    errors = {}
    if amount is None or amount < 1:
        errors["amount"] = _("The amount is a whole number of tenge, at least 1.")
    elif amount > referral.amount:
        errors["amount"] = _("At most the amount asked for: %(n)s tenge.") % {"n": _tenge(referral.amount)}
    elif amount > referral.cap_tenge:
        errors["amount"] = _("At most the programme's cap: %(n)s tenge.") % {"n": _tenge(referral.cap_tenge)}
    try:
        rate = Decimal(rate)
    except (InvalidOperation, TypeError):
        rate = Decimal(-1)
    if not Decimal(0) <= rate <= programme.rate or rate != rate.quantize(Decimal("0.01")):
        errors["rate"] = _("From 0 to %(rate)s %% a year, to the hundredth.") % {"rate": programme.rate}
    if term_months is None or not programme.grace_months < term_months <= programme.max_term_months:
        errors["term_months"] = _("From %(a)s to %(b)s months.") % {
            "a": programme.grace_months + 1,
            "b": programme.max_term_months,
        }
    first_day = timezone.localtime(referral.forwarded_at).date()
    if approved_on is None or not first_day <= approved_on <= today:
        errors["approved_on"] = _("A day from %(first)s to today.") % {
            "first": date_format(first_day, "SHORT_DATE_FORMAT")
        }
    if errors:
        raise ValidationError(errors)
    return rate


@transaction.atomic
def referral_approve(
    *,
    actor: User,
    referral_id: int,
    amount: int,
    rate: Decimal,
    term_months: int,
    approved_on: datetime.date,
    today: datetime.date | None = None,
) -> Referral:
    """The lender's officer approves the loan: an amount up to the one asked for and the cap of the
    request's day, a rate up to the programme's, a term up to its longest, on a day from the
    forwarding to today. The application moves to "loan approved"; the graduate is told."""
    application, referral = _decidable(actor, referral_id)
    rate = approval_check(
        referral, amount=amount, rate=rate, term_months=term_months, approved_on=approved_on, today=today
    )
    referral.state = Referral.State.APPROVED
    referral.decided_by = actor
    referral.decided_at = timezone.now()
    referral.approved_amount = amount
    referral.approved_rate = rate
    referral.approved_term_months = term_months
    referral.approved_on = approved_on
    referral.save()
    pathway.fire(
        application,
        "financing.approve",
        actor=actor,
        reason=lambda: (
            _("%(lender)s: %(amount)s tenge at %(rate)s %% a year for %(term)s months.")
            % {"lender": referral.lender.name, "amount": _tenge(amount), "rate": rate, "term": term_months}
        ),
    )
    return referral


@transaction.atomic
def referral_decline(*, actor: User, referral_id: int, reason: str) -> Referral:
    """The lender's officer declines the loan with a reason the graduate reads."""
    application, referral = _decidable(actor, referral_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the loan is declined: the graduate reads it.")})
    if len(reason) > 500:
        raise ValidationError({"reason": _("At most 500 characters.")})
    referral.state = Referral.State.DECLINED
    referral.decided_by = actor
    referral.decided_at = timezone.now()
    referral.decline_reason = reason
    referral.save(update_fields=["state", "decided_by", "decided_at", "decline_reason"])
    pathway.fire(application, "financing.decline", actor=actor, reason=f"{referral.lender.name}: {reason}")
    return referral


def referral_plan(*, actor: User, referral: Referral) -> PlanVersion:
    """The frozen business plan that travels with the referral, for the lender it is addressed to: the
    version the commission read. Refused to anyone else; NotFound when the referral carries none."""
    policy.require(actor, "financing.read_plan", referral)
    if referral.plan_version_id is None:
        raise NotFound(_("No business plan is attached to this referral."))
    return PlanVersion.objects.select_related("plan__application").get(pk=referral.plan_version_id)


def referral_plan_pdf_request(*, actor: User, referral: Referral) -> PlanVersion:
    """The lender asks for the printable PDF of the referral's plan (made by the worker, as the plans'
    own PDFs are)."""
    return plan_pdf_queue(version=referral_plan(actor=actor, referral=referral))


# --- Follow-ups -----------------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the last day of that month when it is shorter (31 Aug + 6 → 28/29 Feb)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def followups_schedule(application: Application, certified_at: datetime.datetime) -> list[FollowUp]:
    """The graduate's two follow-ups, due six and twelve months after the certificate. Called in the
    certificate move's transaction (financing/stage.py); a second call finds the rows made before."""
    certified_on = timezone.localtime(certified_at).date()
    made = []
    for milestone in MILESTONES:
        follow_up, _created = FollowUp.objects.get_or_create(
            application=application,
            milestone=milestone,
            defaults={
                "district_id": application.district_id,
                "region_id": application.region_id,
                "certified_on": certified_on,
                "due_on": add_months(certified_on, milestone),
            },
        )
        made.append(follow_up)
    return made


@transaction.atomic
def followup_record(
    *,
    actor: User,
    follow_up_id: int,
    business_opened: bool,
    registration_number: str = "",
    sector: str = "",
    jobs_created: int = 0,
    loan_received: bool = False,
    note: str = "",
    today: datetime.date | None = None,
) -> FollowUp:
    """The Chamber branch of the district records what became of the graduate's business, once the
    follow-up is due. A business opened needs its registration number and sector."""
    today = today or timezone.localdate()
    found = FollowUp.objects.visible_to(actor).filter(pk=follow_up_id).values_list("application_id", flat=True).first()
    if found is None:
        raise NotFound(_("There is no such follow-up in your reach."))
    Application.objects.select_for_update().filter(pk=found).first()  # one writer per graduate at a time
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up_id)
    policy.require(actor, "financing.record_followup", follow_up)
    if follow_up.recorded_at is not None:
        raise Conflict(_("This follow-up has been recorded already."))
    if follow_up.due_on > today:
        raise Conflict(
            _("This follow-up is due on %(day)s.") % {"day": date_format(follow_up.due_on, "SHORT_DATE_FORMAT")}
        )
    errors = {}
    registration_number = (registration_number or "").strip()
    if business_opened:
        if not registration_number:
            errors["registration_number"] = _("Give the BIN of the company or the IIN of the sole proprietor.")
        else:
            try:
                validate_registration_number(registration_number)
            except ValidationError as exc:
                errors["registration_number"] = exc.messages[0]
        if sector not in Sector.values:
            errors["sector"] = _("Choose the business's sector.")
    else:
        registration_number, sector = "", sector if sector in Sector.values else ""
    if jobs_created is None or not 0 <= jobs_created <= MOST_JOBS:
        errors["jobs_created"] = _("From 0 to %(n)s.") % {"n": MOST_JOBS}
    if len(note or "") > 500:
        errors["note"] = _("At most 500 characters.")
    if errors:
        raise ValidationError(errors)
    follow_up.business_opened = bool(business_opened)
    follow_up.registration_number = registration_number
    follow_up.sector = sector
    follow_up.jobs_created = jobs_created
    follow_up.loan_received = bool(loan_received)
    follow_up.note = (note or "").strip()
    follow_up.recorded_by = actor
    follow_up.recorded_at = timezone.now()
    follow_up.save()
    return follow_up
