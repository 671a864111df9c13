"""Who may act on training groups (accounts/policy.py)."""

import rules
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.policy import declare, has_role, in_area, in_own_district, is_admin, works_in_a_district
from applications.policy import is_chamber
from training.models import ExpulsionCase

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
# The object is the group: a document (a medical note, a summons) for an excused absence.
declare(
    "training.attach_absence_document",
    (has_role(Role.TRAINER) & trains_the_group) | (is_chamber & in_own_district),
    _("Documents for an absence are attached by the group's trainer or the Chamber branch of its district."),
)


@rules.predicate
def trains_the_documents_group(user, document) -> bool:
    return document is not None and trains_the_group(user, document.group)


@rules.predicate
def a_case_lists_the_document(user, document) -> bool:
    """An expulsion case of the participant lists the day with this document (the commission reads it)."""
    if document is None:
        return False
    code = str(document.code)
    cases = ExpulsionCase.objects.filter(application_id=document.mark.membership.application_id)
    return any(day.get("document") == code for case in cases for day in case.missed_days)


# The object is the absence document: the trainer of the group, the Chamber branch of its district, and
# the commission of the area once an expulsion case lists that day. Nobody else, whatever they see.
declare(
    "training.view_absence_document",
    (has_role(Role.TRAINER) & trains_the_documents_group)
    | (is_chamber & in_own_district)
    | (has_role(Role.COMMISSION) & in_area & a_case_lists_the_document),
    _(
        "Documents for an absence are opened by the group's trainer, the Chamber branch of its district, "
        "and the commission when an expulsion case lists the day."
    ),
)
