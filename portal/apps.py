from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The portal's top layer: it may import every app; no app imports it."""

    name = "portal"
    verbose_name = _("Portal")
