from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    """The participant's business plan: sections, financial plan, versions, freezing for the defence (issue 10)."""

    name = "plans"
    verbose_name = _("Business plans")
