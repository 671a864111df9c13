"""Who may issue certificates (accounts/policy.py). Issuing comes with issue 11."""

from django.utils.translation import gettext_lazy as _

from accounts.policy import declare, in_area
from applications.policy import is_chamber

declare("certificates.issue", is_chamber & in_area, _("Certificates are issued by the Chamber branch."))
