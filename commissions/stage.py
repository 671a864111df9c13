"""The commission's part of the citizen's path (applications/pathway.py)."""

from django.utils.translation import gettext_lazy as _

from applications.models import Status
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
