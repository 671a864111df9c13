from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinancingConfig(AppConfig):
    """Loan referrals to financial institutions: the last stage of the path (issue 12 builds its pages)."""

    name = "financing"
    verbose_name = _("Financing")

    def ready(self):
        from financing import policy, stage  # noqa: F401  the stage's rules, moves and steps
