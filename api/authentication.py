"""`Authorization: Bearer <key>`: the key of an ApiToken (api/models.py) made in the admin."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from api.models import KEY_PREFIX, LOOKUP_LENGTH, ApiToken

# `last_used_at` is written at most this often, not on every request.
TOUCH_EVERY = datetime.timedelta(minutes=5)


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() != self.keyword.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send the token as “Authorization: Bearer <token>”."))
        key = header[1]
        token = None
        if key.startswith(KEY_PREFIX):
            lookup = key[len(KEY_PREFIX) : len(KEY_PREFIX) + LOOKUP_LENGTH]
            token = ApiToken.objects.usable().select_related("user__organisation").filter(lookup=lookup).first()
        if token is None or not token.matches(key):
            raise exceptions.AuthenticationFailed(_("The token is not valid, or it has expired or been revoked."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The token's account is no longer active."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword  # a 401 (not a 403) for a request without a valid token


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token made by the administrator in the admin (API tokens); it acts as its staff user.",
        }
