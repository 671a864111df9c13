"""Who may act on training groups (accounts/policy.py)."""

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.policy import declare, has_role, in_own_district, is_admin, works_in_a_district
from applications.policy import is_chamber

declare(
    "training.view_groups",
    has_role(Role.CHAMBER, Role.TRAINER, Role.ANALYST) | is_admin,
    _("This page is not available for your role."),
)
declare(
    "training.create_group",
    is_chamber & works_in_a_district,
    _("Training groups are formed by a district's Chamber branch."),
)
# The object is the group.
declare(
    "training.edit_group",
    is_chamber & in_own_district,
    _("Only the Chamber branch of the group's district changes it."),
)
# The object is the application placed (the move PASSED → PLACED) or moved between groups.
declare(
    "training.place",
    is_chamber & in_own_district,
    _("Participants are placed in groups by the Chamber branch of their district."),
)
