from django.contrib import admin

from applications.models import ApplicantList, Application, Document, DocumentDownload, ImportJob, StatusChange


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    fields = ["at", "from_status", "to_status", "actor", "reason", "notified_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-mostly: status changes go through the portal's pages, never through the admin."""

    list_display = [
        "number",
        "last_name",
        "first_name",
        "iin",
        "district",
        "stream",
        "channel",
        "status",
        "submitted_at",
    ]
    list_filter = ["status", "channel", "stream", "region"]
    search_fields = ["number", "iin", "last_name", "first_name"]
    list_select_related = ["district", "stream__year"]
    readonly_fields = [
        "status",
        "number",
        "channel",
        "applicant",
        "registered_by",
        "decided_by",
        "decided_at",
        "applicant_list",
        "consent_version",
        "consent_given_at",
    ]
    autocomplete_fields = ["district", "region"]
    inlines = [StatusChangeInline]


@admin.register(ApplicantList)
class ApplicantListAdmin(admin.ModelAdmin):
    list_display = ["__str__", "district", "state", "sent_at", "accepted_at"]
    list_filter = ["state"]
    list_select_related = ["district", "stream__year"]
    readonly_fields = ["state", "sent_at", "accepted_at", "accepted_by"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["original_name", "organisation", "state", "total_rows", "imported_count", "created_at"]
    list_filter = ["state"]
    readonly_fields = ["rows"]


admin.site.register(Document)


# --- Document downloads (issue 9): the audit of who downloaded which document, read-only --------


@admin.register(DocumentDownload)
class DocumentDownloadAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "document", "document__application"]
    list_filter = ["at"]
    search_fields = ["user__username", "document__application__number"]
    list_select_related = ["user", "document__application"]
    readonly_fields = ["at", "user", "document"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
