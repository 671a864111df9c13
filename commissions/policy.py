"""Who may act for a commission (accounts/policy.py). The commission's pages come with issue 11."""

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.policy import declare, has_role, in_area

is_commission = has_role(Role.COMMISSION)

declare(
    "commissions.decide_expulsion",
    is_commission & in_area,
    _("Expulsion cases are decided by the commission of the participant's district or region."),
)
declare(
    "commissions.confirm_outcome",
    is_commission & in_area,
    _("Defence outcomes are confirmed by the commission of the participant's district or region."),
)
