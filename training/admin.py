from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.audit import AuditedAdmin, ReadOnlyAdmin
from training.models import (
    AbsenceDocument,
    AbsenceDocumentDownload,
    AttendanceChange,
    AttendanceMark,
    ExpulsionCase,
    GroupMember,
    MarkKind,
    Module,
    TeachingDay,
    TrainingGroup,
)


@admin.register(Module)
class ModuleAdmin(AuditedAdmin):
    list_display = ["number", "title_kk", "title_ru", "title_en"]


class TeachingDayInline(admin.TabularInline):
    """The schedule, to read: days move on the group page, where Sundays and holidays are refused."""

    model = TeachingDay
    fields = ["ordinal", "date", "module"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class GroupMemberInline(admin.TabularInline):
    """Places, to read: participants are placed and moved on the group page, within capacity."""

    model = GroupMember
    fields = ["application", "placed_at", "placed_by", "left_at", "left_reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TrainingGroup)
class TrainingGroupAdmin(AuditedAdmin):
    """Only the group's name and place may be edited here; its stream, schedule, capacity, trainers
    and members change on the group page, through the services that keep their rules."""

    list_display = ["name", "stream", "district", "capacity", "course_start"]
    list_filter = ["stream", "region"]
    search_fields = ["name", "place"]
    list_select_related = ["stream__year", "district"]
    fields = ["name", "place", "stream", "district", "region", "capacity", "course_start", "trainers", "created_by"]
    readonly_fields = ["stream", "district", "region", "capacity", "course_start", "trainers", "created_by"]
    inlines = [TeachingDayInline, GroupMemberInline]

    def has_add_permission(self, request):
        return False  # groups are created on the Chamber's page, with their schedule


@admin.register(GroupMember)
class GroupMemberAdmin(ReadOnlyAdmin):
    list_display = ["application", "group", "placed_at", "left_at"]
    list_select_related = ["application", "group"]


# Marks, their history and expulsion cases change only through training.services (the absence rule
# and the path follow every mark): the admin shows them.
@admin.register(AttendanceMark)
class AttendanceMarkAdmin(ReadOnlyAdmin):
    list_display = ["membership", "day", "kind", "reason_code", "version", "marked_by", "marked_at"]
    list_filter = ["kind"]
    list_select_related = ["membership__application", "membership__group", "day__group", "marked_by"]


@admin.register(AttendanceChange)
class AttendanceChangeAdmin(ReadOnlyAdmin):
    list_display = ["mark", "old_kind", "new_kind", "reason", "document", "actor", "at"]
    list_select_related = ["actor", "document"]


@admin.register(AbsenceDocument)
class AbsenceDocumentAdmin(ReadOnlyAdmin):
    """Attached on the attendance grid, where the type and size are checked; opened through the portal's
    permission-checked view (the file is not shown here: no public media URL)."""

    list_display = ["mark", "original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    list_select_related = ["uploaded_by"]
    exclude = ["file"]


@admin.register(AbsenceDocumentDownload)
class AbsenceDocumentDownloadAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "document"]
    list_filter = ["at"]
    list_select_related = ["user", "document"]


@admin.register(ExpulsionCase)
class ExpulsionCaseAdmin(ReadOnlyAdmin):
    list_display = ["application", "state", "opened_at", "closed_at"]
    list_filter = ["state"]
    list_select_related = ["application"]
    readonly_fields = ["missed_days_listed"]

    @admin.display(description=_("missed days"))
    def missed_days_listed(self, case):
        """Each missed day with its kind, reason and whether a document is attached."""
        return format_html_join(
            mark_safe("<br>"),  # noqa: S308 - a constant
            "{} · {} · {} · {}",
            (
                (
                    day["date"],
                    MarkKind(day["kind"]).label,
                    day.get("reason", ""),
                    _("document attached") if day.get("document") else _("no document"),
                )
                for day in case.missed_days
            ),
        )
