"""What every resource module of the API shares (docs/architecture.md "The REST API")."""

import uuid

from django.contrib.auth.decorators import login_not_required
from django.utils.translation import gettext_lazy as _
from rest_framework import viewsets

from core.errors import NotFound

NOT_FOUND = _("Not found, or outside your area.")


class ApiViewSet(viewsets.GenericViewSet):
    """A resource: looked up by its `code` (a UUID) within what the token's user may see.

    The portal's LoginRequiredMiddleware redirects anonymous page requests to the login page; an API
    call is authenticated by DRF instead (a token), so its views are marked login_not_required and a
    call without a token gets a 401 in the error shape."""

    lookup_field = "code"
    lookup_value_regex = "[^/]+"  # any text: a malformed code is a 404 in the error shape, not Django's page
    policy_action: str | dict | None = None  # the page's rule (accounts/access.py), see api/permissions.py

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        return login_not_required(super().as_view(actions, **initkwargs))

    def code(self) -> uuid.UUID:
        try:
            return uuid.UUID(str(self.kwargs[self.lookup_field]))
        except ValueError:
            raise NotFound(NOT_FOUND) from None
