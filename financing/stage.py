"""Financing's part of the citizen's path (applications/pathway.py)."""

from django.utils.translation import gettext_lazy as _

from applications.models import Status
from applications.pathway import Move, StepSpec, declare, declare_steps

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
