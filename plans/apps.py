from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    """The participant's business plan: sections, financial plan, versions, freezing for the defence (issue 10)."""

    name = "plans"
    verbose_name = _("Business plans")

    def ready(self):
        from plans import policy, stage  # noqa: F401  the stage's rules and hooks
