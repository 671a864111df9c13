"""API tokens in the admin: an administrator makes one for a staff account and sees its key once.
Making, changing and revoking a token is recorded (core.audit); tokens are revoked, never deleted."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.models import ApiToken
from core import audit
from core.audit import AuditedAdmin


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    list_display = ["name", "user", "created_at", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "lookup"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    readonly_fields = ["created_at", "created_by", "last_used_at"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name", "expires_at"]
        return ["user", "name", "expires_at", "revoked_at", "created_at", "created_by", "last_used_at"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "user"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the row stays, with who made it and when it was last used

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        token, key = ApiToken.issue(user=obj.user, name=obj.name, created_by=request.user, expires_at=obj.expires_at)
        obj.pk = token.pk
        obj.lookup, obj.key_digest, obj.created_at, obj.created_by = (
            token.lookup,
            token.key_digest,
            token.created_at,
            token.created_by,
        )
        obj._state.adding = False
        audit.record(
            actor=request.user,
            obj=token,
            action="create",
            changes={"user": [None, token.user_id], "name": [None, token.name]},
        )
        messages.warning(
            request,
            _("The token's key, shown this once (copy it now; it is not stored): %(key)s") % {"key": key},
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        now = timezone.now()
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            token.revoked_at = now
            token.save(update_fields=["revoked_at"])
            audit.record(actor=request.user, obj=token, action="change", changes={"revoked_at": [None, str(now)]})
        messages.success(request, _("%(count)s tokens revoked.") % {"count": len(tokens)})
