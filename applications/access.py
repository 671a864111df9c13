"""Who may do what with an application's personal documents: one predicate per action.

(A colleague folds these into the policy module later; keep each a plain function of the user
and the application, used by the view and by the template's flag alike.)
"""

from accounts.models import Role


def may_download_documents(user, application) -> bool:
    """Identity scans and other documents: the employment centre of the application's district
    (it decides eligibility), the district's Chamber branch (it runs the test and the course),
    and the applicant themself. Nobody national or regional, not the akimat, not a superuser."""
    if not user.is_authenticated:
        return False
    if user.role == Role.CITIZEN:
        return application.applicant_id is not None and application.applicant_id == user.pk
    if user.role not in (Role.EMPLOYMENT_CENTRE, Role.CHAMBER):
        return False
    organisation = user.organisation
    return bool(organisation and organisation.district_id and organisation.district_id == application.district_id)
