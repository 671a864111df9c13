"""Who may read the programme's figures (accounts/policy.py).

Programme analysts and administrators read the whole country (or their region, when their office is
regional); the intake offices of a district or region (employment centre, akimat, Chamber branch)
read their own area. Which rows they see is the scope's question (`FunnelSummary.objects.in_scope`).
"""

import rules
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.policy import declare, has_role, in_area, is_admin

REPORT_ROLES = (Role.ANALYST, Role.EMPLOYMENT_CENTRE, Role.AKIMAT, Role.CHAMBER)

reads_reports = has_role(*REPORT_ROLES) | is_admin


@rules.predicate
def owns_export(user, job) -> bool:
    return bool(job is not None and getattr(user, "is_authenticated", False) and job.owner_id == user.pk)


declare("reports.view_dashboard", reads_reports, _("The programme dashboard is for analysts and programme staff."))
# The object is an area (reports.views.Area, a district or a region) the user asks to look into.
declare("reports.view_area", reads_reports & in_area, _("This area is outside the one you work in."))
declare("reports.export", reads_reports, _("Exports of the programme's figures are for analysts and programme staff."))
declare("reports.download_export", owns_export, _("Only the person who asked for an export may download it."))
