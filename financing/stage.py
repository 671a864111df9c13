"""Financing's part of the citizen's path (applications/pathway.py), and its hooks: the follow-ups
made when a certificate is issued, and the loan card on the status page."""

from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications import signals
from applications.models import Status
from applications.panels import Panel
from applications.pathway import Move, StepSpec, declare, declare_steps

CERTIFIED_STATES = frozenset({Status.CERTIFIED, Status.PARTICIPATION_CERTIFIED})
LOAN_STATES = frozenset({Status.CERTIFIED, Status.LOAN_REQUESTED, Status.LOAN_APPROVED, Status.LOAN_DECLINED})

declare(
    Move("financing.request", {Status.CERTIFIED}, Status.LOAN_REQUESTED, "financing.request"),
    Move("financing.approve", {Status.LOAN_REQUESTED}, Status.LOAN_APPROVED, "financing.decide"),
    Move("financing.decline", {Status.LOAN_REQUESTED}, Status.LOAN_DECLINED, "financing.decide"),
)

declare_steps(
    StepSpec(
        "loan",
        100,
        upcoming=_("Loan referral, if you wish to borrow for your business"),
        current={
            Status.CERTIFIED: _("You may ask for a loan referral"),
            Status.LOAN_REQUESTED: _("Your loan referral is with the financial institution"),
        },
        done={Status.LOAN_APPROVED: _("Loan approved")},
        failed={Status.LOAN_DECLINED: _("Loan declined")},
        # Only a certificate of completion opens the door to a loan.
        hidden=frozenset({Status.PARTICIPATION_CERTIFIED}),
    ),
)


@receiver(signals.status_changed, dispatch_uid="financing-schedule-follow-ups")
def schedule_follow_ups(sender, application, move, change, **kwargs):
    """A certificate of either kind makes the graduate's two follow-ups, due six and twelve months after
    the day of its StatusChange (the move's own record, so nothing here reads the certificates app)."""
    if move.target not in CERTIFIED_STATES:
        return
    from financing.services import followups_schedule

    followups_schedule(application, change.at)


@receiver(signals.status_page_panels, dispatch_uid="financing-status-panel")
def loan_panel(sender, application, user, **kwargs):
    """The loan card on the status page: "ask for a referral" for a holder of a certificate of completion,
    the referral and its decision afterwards. No query for an application not at this stage."""
    if application.status not in LOAN_STATES:
        return None
    from financing import selectors

    is_owner = application.applicant_id == getattr(user, "pk", None)
    if application.status == Status.CERTIFIED:
        if not is_owner:
            return None
        url = reverse("financing:request", args=[application.code])
        return Panel(
            "financing/_status_panel.html",
            {"offers": selectors.offers_on(timezone.localdate()), "request_url": url},
            order=40,
            next_step={
                "title": _("Ask for a loan referral, if you wish"),
                "body": _(
                    "With your certificate of completion you may ask for a preferential loan for your business: "
                    "choose a programme, the amount and the term; the Chamber branch forwards your request "
                    "to the lender."
                ),
                "url": url,
                "url_label": _("Ask for a loan referral"),
                "tone": "action",
            },
        )
    referral = selectors.referral_of(application)
    if referral is None:
        return None
    next_step = _next_step(application, referral) if is_owner else None
    return Panel("financing/_status_panel.html", {"referral": referral}, order=40, next_step=next_step)


def _next_step(application, referral) -> dict:
    """What happens after the request: the Chamber forwards it, the lender decides, and after an approval
    the graduate signs the loan agreement with the lender (the portal's part of the path ends here)."""
    from django.utils.formats import number_format

    url = reverse("applications:status", args=[application.code]) + "#loan"
    lender = referral.lender.name
    if application.status == Status.LOAN_APPROVED:
        return {
            "title": _("Your loan is approved: sign the loan agreement"),
            "body": _(
                "%(lender)s approved %(amount)s ₸ at %(rate)s %% for %(months)s months. The financial institution "
                "will contact you to sign the loan agreement; bring your identity card, your certificate of "
                "completion and your business plan. The money is paid out by the financial institution after "
                "the agreement is signed."
            )
            % {
                "lender": lender,
                "amount": number_format(referral.approved_amount, use_l10n=True, force_grouping=True),
                "rate": number_format(referral.approved_rate, use_l10n=True),
                "months": referral.approved_term_months,
            },
            "url": url,
            "url_label": _("See the loan's terms"),
            "tone": "done",
        }
    if application.status == Status.LOAN_DECLINED:
        return {
            "title": _("Your loan was declined"),
            "body": _(
                "%(lender)s declined the loan: %(reason)s Your certificate of completion stays valid; the Chamber "
                "branch of your district can advise you on other ways to finance your business."
            )
            % {"lender": lender, "reason": referral.decline_reason.rstrip(".") + "."},
            "url": url,
            "url_label": _("See the decision"),
            "tone": "ended",
        }
    if referral.state == referral.State.REQUESTED:
        title = _("Wait for the Chamber branch to forward your referral")
        body = _("The Chamber branch of your district checks your request and forwards it to %(lender)s.")
    else:
        title = _("Wait for the financial institution's decision")
        body = _(
            "%(lender)s reads your request and your business plan and decides; you will get an SMS and an e-mail "
            "when it does."
        )
    return {
        "title": title,
        "body": body % {"lender": lender},
        "url": url,
        "url_label": _("See your loan referral"),
        "tone": "wait",
    }
