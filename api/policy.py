"""Who may use the API at all (accounts/policy.py). What each call may do is the rule of the service
or page behind it; this only keeps citizens' accounts out of an interface made for staff systems."""

from django.utils.translation import gettext_lazy as _

from accounts.models import STAFF_ROLES
from accounts.policy import declare, has_role, is_admin

declare(
    "api.use",
    has_role(*STAFF_ROLES) | is_admin,
    _("The API is for the systems of programme staff: use a token of a staff account."),
)
