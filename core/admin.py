from django.contrib import admin

from core.audit import ReadOnlyAdmin
from core.models import AuditEntry, OutboxMessage


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "model", "object_repr"]
    list_filter = ["action", "model"]
    search_fields = ["object_id", "object_repr", "actor__username"]
    list_select_related = ["actor"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "task", "args", "published_at", "attempts", "last_error"]
    list_filter = ["task"]
