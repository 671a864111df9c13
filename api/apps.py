from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API for neighbouring systems, over the same services and policy (top layer, issue 12)."""

    name = "api"
    verbose_name = _("API")

    def ready(self):
        from api import policy  # noqa: F401  the rule of who may use the API
