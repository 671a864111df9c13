from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AptitudeConfig(AppConfig):
    name = "aptitude"
    verbose_name = _("Aptitude test")

    def ready(self):
        from aptitude import policy, stage  # noqa: F401  the stage's rules, moves, steps and hooks
