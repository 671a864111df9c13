"""Who may act on training groups (accounts/policy.py)."""

import rules
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


@rules.predicate
def trains_the_group(user, group) -> bool:
    """The user is one of the group's trainers (read from a prefetch when the caller made one)."""
    if group is None or not getattr(user, "is_authenticated", False):
        return False
    cache = getattr(group, "_prefetched_objects_cache", {})
    if "trainers" in cache:
        return any(t.pk == user.pk for t in cache["trainers"])
    return group.trainers.filter(pk=user.pk).exists()


# The object is the group. The trainer marks; the district's Chamber branch may correct a mark too
# (a trainer off sick, a register brought in on paper). Every change is kept in the cell's history.
declare(
    "training.mark_attendance",
    (has_role(Role.TRAINER) & trains_the_group) | (is_chamber & in_own_district),
    _("Attendance is marked by the group's trainer or the Chamber branch of its district."),
)
# The object is the group: the trainer says a day's module was delivered.
declare(
    "training.deliver_module",
    (has_role(Role.TRAINER) & trains_the_group) | (is_chamber & in_own_district),
    _("Modules are marked delivered by the group's trainer or the Chamber branch of its district."),
)
