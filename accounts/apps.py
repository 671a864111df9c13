from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Users and organisations")

    def ready(self):
        from accounts import (
            policy,  # noqa: F401  declares the accounts rules
            throttle,  # noqa: F401  connects the failed-login counter
        )
