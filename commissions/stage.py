"""The commission's part of the citizen's path (applications/pathway.py)."""

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from applications.models import ApplicationQuerySet, Status
from applications.pathway import Move, StepSpec, declare, declare_steps

declare(
    Move("commissions.expel", {Status.EXPULSION_CASE}, Status.EXPELLED, "commissions.decide_expulsion"),
    Move("commissions.keep", {Status.EXPULSION_CASE}, Status.IN_TRAINING, "commissions.decide_expulsion"),
    Move("commissions.defended", {Status.COURSE_FINISHED}, Status.DEFENDED, "commissions.confirm_outcome"),
    Move("commissions.not_defended", {Status.COURSE_FINISHED}, Status.NOT_DEFENDED, "commissions.confirm_outcome"),
)

declare_steps(
    StepSpec(
        "defence",
        80,
        upcoming=_("Business-plan defence before the commission"),
        current={Status.COURSE_FINISHED: _("Waiting for your business-plan defence")},
        done={Status.DEFENDED: _("Business plan defended"), Status.NOT_DEFENDED: _("Business plan not defended")},
    ),
)


def _member_sees_their_commissions_districts(queryset, user):
    """A commission member reads the applications of the districts their commission serves."""
    from commissions.selectors import served_district_ids

    return queryset.filter(district_id__in=served_district_ids(user))


ApplicationQuerySet.role_scopes[Role.COMMISSION] = _member_sees_their_commissions_districts
