from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from bastau.celery import log_execution_mode
        from core import (
            checks,  # noqa: F401  registers the system checks
            sqlite,
        )

        sqlite.connect()
        log_execution_mode()
