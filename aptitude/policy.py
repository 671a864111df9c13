"""Who may act in the aptitude test (accounts/policy.py)."""

import rules
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.policy import declare, has_role, in_own_district, is_admin, is_citizen, works_in_a_district
from applications.policy import is_applicant, is_chamber


@rules.predicate
def takes_the_test(user, attempt) -> bool:
    """The attempt is the user's own: nobody, not even staff, takes a citizen's test for them."""
    return bool(attempt is not None and user.is_authenticated and attempt.application.applicant_id == user.pk)


declare(
    "aptitude.view_sessions",
    has_role(Role.CHAMBER, Role.ANALYST) | is_admin,
    _("This page is not available for your role."),
)
declare(
    "aptitude.schedule",
    is_chamber & works_in_a_district,
    _("Test sessions are scheduled by a district's Chamber branch."),
)
declare(
    "aptitude.record_paper",
    is_chamber & in_own_district,
    _("Results are recorded by the Chamber branch that holds the session."),
)
declare("aptitude.take", is_citizen & takes_the_test, _("This is not your test."))
# The test's result moves the application on: the citizen submitting their online test, or the
# Chamber branch recording paper scores (a timed-out test is submitted by the portal itself).
declare(
    "aptitude.record_result",
    is_applicant | (is_chamber & in_own_district),
    _("Results are recorded by the Chamber branch of the applicant's district."),
)
