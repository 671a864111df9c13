"""Who may issue, revoke, reissue and download certificates (accounts/policy.py)."""

import rules
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.policy import declare, has_role, in_area, is_admin, is_citizen
from applications.policy import is_chamber


@rules.predicate
def holds_it(user, certificate) -> bool:
    """The certificate was issued on the user's own application."""
    return bool(
        certificate is not None
        and getattr(user, "is_authenticated", False)
        and certificate.application_id is not None  # a certificate from before the portal has none
        and certificate.application.applicant_id == user.pk
    )


# The staff pages of certificates (the groups' certificates, one certificate).
declare(
    "certificates.view",
    has_role(Role.CHAMBER, Role.ANALYST) | is_admin,
    _("This page is not available for your role."),
)
# The object is the application, or the group issued for in one action.
declare("certificates.issue", is_chamber & in_area, _("Certificates are issued by the Chamber branch."))
# The object is the certificate.
declare(
    "certificates.revoke",
    is_chamber & in_area,
    _("Certificates are revoked by the Chamber branch of the holder's district."),
)
declare(
    "certificates.reissue",
    is_chamber & in_area,
    _("Certificates are reissued by the Chamber branch of the holder's district."),
)
declare(
    "certificates.download",
    (is_citizen & holds_it) | (has_role(Role.CHAMBER, Role.ANALYST) & in_area) | is_admin,
    _("A certificate is downloaded by its holder or the Chamber branch of their district."),
)
