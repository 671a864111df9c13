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
    return Panel("financing/_status_panel.html", {"referral": referral}, order=40)
