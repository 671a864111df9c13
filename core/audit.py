"""Recording who changed what (core.models.AuditEntry), for services and the admin."""

import datetime
from decimal import Decimal

from django.contrib import admin
from django.db import models

from core.models import AuditEntry


def _plain(value):
    """A JSON-safe form of a field value."""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, datetime.date | datetime.datetime | Decimal):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def snapshot(obj: models.Model, fields) -> dict:
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: dict, after: dict) -> dict:
    return {name: [before.get(name), after[name]] for name in after if before.get(name) != after[name]}


def record(*, actor, obj: models.Model, action: str, changes: dict | None = None) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        model=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=changes or {},
    )


class AuditedAdmin(admin.ModelAdmin):
    """An admin whose every save and delete writes an AuditEntry with the fields' old and new values."""

    def save_model(self, request, obj, form, change):
        fields = [name for name in form.changed_data if name in {f.name for f in obj._meta.concrete_fields}]
        before = snapshot(type(obj).objects.get(pk=obj.pk), fields) if change and obj.pk else {}
        super().save_model(request, obj, form, change)
        after = snapshot(obj, fields)
        if not change or diff(before, after):
            record(actor=request.user, obj=obj, action="change" if change else "create", changes=diff(before, after))

    def delete_model(self, request, obj):
        record(actor=request.user, obj=obj, action="delete")
        super().delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that change only through the portal's services: the admin shows them, never edits them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
