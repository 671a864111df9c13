"""Who may act on loan referrals (accounts/policy.py)."""

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.policy import declare, has_role, in_area
from applications.policy import is_applicant

declare(
    "financing.request",
    is_applicant,
    _("A loan referral is asked for by the holder of the certificate of completion."),
)
declare(
    "financing.decide",
    has_role(Role.FINANCE) & in_area,
    _("Loan decisions are recorded by the financial institution the referral was sent to."),
)
