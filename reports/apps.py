from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Programme dashboard and exports, read across every stage (top layer, issue 12)."""

    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from reports import policy  # noqa: F401  declare the rules
