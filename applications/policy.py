"""Who may act on applications, lists and imports: one rule per action (accounts/policy.py)."""

import rules
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.policy import (
    declare,
    has_role,
    in_area,
    in_own_district,
    is_admin,
    is_anonymous,
    is_citizen,
    works_in_a_district,
)

INTAKE_ROLES = (Role.EMPLOYMENT_CENTRE, Role.AKIMAT, Role.CHAMBER)

is_intake = has_role(*INTAKE_ROLES)
is_centre = has_role(Role.EMPLOYMENT_CENTRE)
is_chamber = has_role(Role.CHAMBER)
is_analyst = has_role(Role.ANALYST)


@rules.predicate
def is_applicant(user, application) -> bool:
    return bool(application is not None and user.is_authenticated and application.applicant_id == user.pk)


@rules.predicate
def of_own_organisation(user, obj) -> bool:
    return bool(obj is not None and user.is_authenticated and obj.organisation_id == user.organisation_id)


declare(
    "applications.apply_online",
    is_anonymous | is_citizen,
    _("Staff register applicants with the walk-in form, not the online one."),
)
declare(
    "applications.open_intake",
    is_intake,
    _("Applicants are registered by the employment centre, the akimat or the Chamber branch."),
)
# The object is the district the applicant lives in.
declare(
    "applications.register",
    is_intake & in_area,
    _("You can register applicants of your own area only, and only from an intake office."),
)
declare("applications.view_queue", is_intake | is_analyst | is_admin, _("This page is not available for your role."))
declare("applications.decide_any", is_centre, _("Only the employment centre decides eligibility."))
declare(
    "applications.decide",
    is_centre & in_area,
    _("Only the employment centre of the applicant's district decides eligibility."),
)
declare(
    "applications.withdraw",
    is_applicant | (is_intake & in_area),
    _("Only the applicant, or an office handling the application, may withdraw it."),
)
declare(
    "applications.attach_document",
    is_intake & in_area,
    _("Documents are attached by the office handling the application."),
)
declare(
    "applications.view_lists",
    has_role(Role.EMPLOYMENT_CENTRE, Role.CHAMBER) | is_analyst | is_admin,
    _("This page is not available for your role."),
)
declare(
    "applications.prepare_list",
    is_centre & works_in_a_district,
    _("Lists for the Chamber are prepared by a district's employment centre."),
)
declare(
    "applications.edit_list",
    is_centre & in_own_district,
    _("Only the employment centre that prepared the list may change or send it."),
)
declare(
    "applications.accept_list",
    is_chamber & in_area,
    _("Only the Chamber branch of the list's district accepts it."),
)
declare(
    "applications.import",
    is_intake & works_in_a_district,
    _("Registers are imported by a district office: their applicants are registered in its district."),
)
declare(
    "applications.confirm_import",
    is_intake & in_own_district & of_own_organisation,
    _("Only the office that uploaded the register may import it."),
)
declare(
    "applications.correct",
    (is_intake & in_area) | is_admin,
    _("Personal data are corrected by an office handling the application, or an administrator."),
)
# Identity scans and other documents: the employment centre of the applicant's district (it decides
# eligibility), the district's Chamber branch (it runs the test and the course), and the applicant.
# Nobody national or regional, not the akimat, not a superuser.
declare(
    "applications.download_documents_any",
    has_role(Role.EMPLOYMENT_CENTRE, Role.CHAMBER, Role.CITIZEN),
    _("Documents are opened by the employment centre and the Chamber branch of the applicant's district."),
)
declare(
    "applications.download_documents",
    (is_citizen & is_applicant) | (has_role(Role.EMPLOYMENT_CENTRE, Role.CHAMBER) & in_own_district),
    _("Documents are opened by the employment centre and the Chamber branch of the applicant's district."),
)
