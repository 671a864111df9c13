"""The application stage's part of the citizen's path: its moves and its steps (applications/pathway.py)."""

from django.utils.translation import gettext_lazy as _

from applications.models import OPEN_STATUSES, Status
from applications.pathway import Move, StepSpec, declare, declare_steps

# A citizen may leave at any point until the defence.
WITHDRAWABLE = frozenset(OPEN_STATUSES) - {Status.DEFENDED, Status.NOT_DEFENDED}

declare(
    Move("applications.approve", {Status.SUBMITTED}, Status.ELIGIBLE, "applications.decide"),
    Move("applications.refuse", {Status.SUBMITTED, Status.ELIGIBLE}, Status.INELIGIBLE, "applications.decide"),
    Move("applications.send", {Status.ELIGIBLE}, Status.LISTED, "applications.edit_list"),
    Move("applications.accept", {Status.LISTED}, Status.ACCEPTED, "applications.accept_list"),
    Move("applications.withdraw", WITHDRAWABLE, Status.WITHDRAWN, "applications.withdraw"),
)


def _channel(application, change) -> str:
    return _("Channel: %(channel)s") % {"channel": application.get_channel_display()}


declare_steps(
    StepSpec(
        "submitted",
        10,
        upcoming=_("Application"),
        done={Status.SUBMITTED: _("Application submitted")},
        detail=_channel,
    ),
    StepSpec(
        "eligibility",
        20,
        upcoming=_("Eligibility check by the employment centre"),
        current={Status.SUBMITTED: _("The employment centre is checking your eligibility")},
        done={Status.ELIGIBLE: _("Eligible: you belong to the programme's target group")},
        failed={Status.INELIGIBLE: _("Not eligible")},
    ),
    StepSpec(
        "listed",
        30,
        upcoming=_("Your name goes on the list for the Chamber of Entrepreneurs"),
        current={Status.ELIGIBLE: _("The employment centre is preparing the list for the Chamber")},
        done={Status.LISTED: _("Sent to the Chamber of Entrepreneurs")},
    ),
    StepSpec(
        "accepted",
        40,
        upcoming=_("The Chamber accepts the list"),
        current={Status.LISTED: _("The Chamber of Entrepreneurs is receiving the list")},
        done={Status.ACCEPTED: _("Accepted by the Chamber of Entrepreneurs")},
    ),
)
