"""Who may act on loan referrals and follow-ups (accounts/policy.py)."""

import rules
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.policy import declare, has_role, in_own_district, is_citizen
from applications.policy import is_applicant, is_chamber
from financing.models import Referral

is_officer = has_role(Role.FINANCE)


@rules.predicate
def lends_on_it(user, obj) -> bool:
    """The object (a referral, or an application with one) was sent to the user's institution."""
    if obj is None or not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return False
    if isinstance(obj, Referral):
        return obj.lender_id == user.organisation_id
    try:
        referral = obj.loan_referral  # cached by the service that locked it, else one query
    except Referral.DoesNotExist:
        return False
    return referral.lender_id == user.organisation_id


@rules.predicate
def reached_the_lender(user, referral) -> bool:
    """The Chamber branch has forwarded the referral (a state of the referral, kept by the Chamber's move)."""
    return isinstance(referral, Referral) and referral.state != Referral.State.REQUESTED


# The object is the application (the move CERTIFIED → LOAN_REQUESTED checks the state).
declare(
    "financing.request",
    is_citizen & is_applicant,
    _("A loan referral is asked for by the holder of the certificate of completion."),
)
# The Chamber's pages; analysts and administrators read the figures in the reports and the admin.
declare(
    "financing.view_referrals",
    is_chamber,
    _("This page is not available for your role."),
)
# The object is the referral.
declare(
    "financing.forward",
    is_chamber & in_own_district,
    _("Loan referrals are forwarded by the Chamber branch of the graduate's district."),
)
declare("financing.view_inbox", is_officer, _("This page is for officers of a financial institution."))
# The object is the application (the moves) or the referral (the page).
declare(
    "financing.decide",
    is_officer & lends_on_it,
    _("Loan decisions are recorded by the financial institution the referral was sent to."),
)
# The object is the referral: the frozen business plan (the version the commission read) and its PDF
# travel with the referral to the lender it is addressed to, once the Chamber has forwarded it.
declare(
    "financing.read_plan",
    is_officer & lends_on_it & reached_the_lender,
    _("The business plan of a referral is read by the financial institution the referral was sent to."),
)
declare(
    "financing.view_followups",
    is_chamber,
    _("This page is not available for your role."),
)
# The object is the follow-up.
declare(
    "financing.record_followup",
    is_chamber & in_own_district,
    _("Follow-ups are recorded by the Chamber branch of the graduate's district."),
)
