"""API tokens: a neighbouring staff system calls the API as one staff user, with that user's role and area.

Only a SHA-256 digest of each key is stored (a key is 32 random bytes, so a fast digest is enough; a
slow password hash would cost every request). The administrator sees the key once, when the token is
made in the admin; a lost key is replaced, not recovered.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import STAFF_ROLES

KEY_PREFIX = "bst_"
LOOKUP_LENGTH = 12  # the key's first characters after the prefix, stored in clear to find the row


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens", verbose_name=_("staff user")
    )
    name = models.CharField(_("system"), max_length=100, help_text=_("Which system uses this token."))
    lookup = models.CharField(max_length=LOOKUP_LENGTH, unique=True, editable=False)
    key_digest = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({KEY_PREFIX}{self.lookup}…)"

    def clean(self):
        super().clean()
        user = getattr(self, "user", None)
        if user is not None and not (user.role in STAFF_ROLES or user.is_superuser):
            raise ValidationError({"user": _("API tokens are given to programme staff accounts only.")})

    @classmethod
    def issue(cls, *, user, name: str, created_by=None, expires_at=None) -> tuple["ApiToken", str]:
        """A new token and its key; the key is not stored and cannot be shown again."""
        lookup = secrets.token_hex(LOOKUP_LENGTH // 2)
        key = f"{KEY_PREFIX}{lookup}{secrets.token_urlsafe(32)}"
        token = cls(user=user, name=name, created_by=created_by, expires_at=expires_at, lookup=lookup)
        token.key_digest = digest(key)
        token.full_clean(exclude=["lookup", "key_digest"])
        token.save()
        return token, key

    def matches(self, key: str) -> bool:
        return hmac.compare_digest(self.key_digest, digest(key))
