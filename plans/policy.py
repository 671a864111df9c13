"""Who may act on business plans (accounts/policy.py). The object of each rule is named above it.

The applicant writes their own plan while in training (an expulsion case pending included) or once
the course is finished. Whether the plan is still open (no version frozen for the defence) is a
state, checked by the services (Conflict), not a right. The group's trainer and the district's
Chamber branch read every version and comment on it; commission members of the area read the
frozen version only.
"""

import rules
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.policy import declare, has_role, in_area, in_own_district, is_citizen
from applications.models import Status
from applications.policy import is_chamber

WRITING_STATUSES = frozenset({Status.IN_TRAINING, Status.EXPULSION_CASE, Status.COURSE_FINISHED})
# Statuses in which the status page shows the plan: while it is written and after the defence.
PLAN_STATUSES = WRITING_STATUSES | {
    Status.DEFENDED,
    Status.NOT_DEFENDED,
    Status.CERTIFIED,
    Status.PARTICIPATION_CERTIFIED,
    Status.LOAN_REQUESTED,
    Status.LOAN_APPROVED,
    Status.LOAN_DECLINED,
}


def _application(obj):
    """The application behind a plan, a version or the application itself."""
    from plans.models import BusinessPlan, PlanVersion

    if isinstance(obj, PlanVersion):
        return obj.plan.application
    if isinstance(obj, BusinessPlan):
        return obj.application
    return obj


@rules.predicate
def is_plan_author(user, obj) -> bool:
    application = _application(obj)
    return bool(application is not None and user.is_authenticated and application.applicant_id == user.pk)


@rules.predicate
def may_write(user, obj) -> bool:
    application = _application(obj)
    return application is not None and application.status in WRITING_STATUSES


@rules.predicate
def trains_the_participant(user, obj) -> bool:
    """The user trains the group the participant is placed in now."""
    from training.models import GroupMember

    application = _application(obj)
    if application is None or not getattr(user, "is_authenticated", False):
        return False
    return GroupMember.objects.current().filter(application_id=application.pk, group__trainers=user).exists()


@rules.predicate
def read_by_commission(user, version) -> bool:
    """The version is the one the commission reads (the rule: PlanVersion.objects.for_commission)."""
    from plans.models import PlanVersion

    if version is None or getattr(version, "pk", None) is None:
        return False
    return PlanVersion.objects.for_commission().filter(pk=version.pk).exists()


@rules.predicate
def in_plans_district(user, obj) -> bool:
    return in_own_district(user, _application(obj))


@rules.predicate
def in_plans_area(user, obj) -> bool:
    return in_area(user, _application(obj))


is_trainer = has_role(Role.TRAINER)
is_commission = has_role(Role.COMMISSION)
reviews = (is_trainer & trains_the_participant) | (is_chamber & in_plans_district)

# The object is the application (or its plan).
declare(
    "plans.edit",
    is_citizen & is_plan_author & may_write,
    _("The business plan is written by the participant, during the course or once it is finished."),
)
# The object is the version: "ready for defence" freezes it.
declare(
    "plans.freeze",
    is_citizen & is_plan_author & may_write,
    _("Only the participant marks their business plan ready for defence."),
)
# The object is the plan: its draft and every version (the author, the trainer, the Chamber).
declare(
    "plans.read",
    (is_citizen & is_plan_author) | reviews,
    _("The business plan is read by its author, the group's trainer and the district's Chamber branch."),
)
# The object is the version; commission members of the area read the one frozen for the defence.
declare(
    "plans.view",
    (is_citizen & is_plan_author) | reviews | (is_commission & in_plans_area & read_by_commission),
    _("This version of the business plan is not open to you."),
)
# The object is the version.
declare(
    "plans.comment",
    reviews,
    _("Comments on a business plan are written by the group's trainer or the district's Chamber branch."),
)
# Without an object: the trainer's and the Chamber's list of plans of a group.
declare(
    "plans.review_any",
    is_trainer | is_chamber,
    _("This page is for trainers and the Chamber branch."),
)
