from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from applications import services
from applications.models import ApplicantList, Application, Document, DocumentDownload, ImportJob, StatusChange
from core.audit import ReadOnlyAdmin


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    fields = ["at", "from_status", "to_status", "actor", "reason", "notified_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


class ApplicationAdminForm(forms.ModelForm):
    """Corrections of personal data are checked by the service's rules, on the field that is wrong."""

    class Meta:
        model = Application
        fields = list(services.CORRECTABLE_FIELDS)

    def clean(self):
        cleaned = super().clean()
        values = {name: cleaned[name] for name in self.changed_data if name in services.CORRECTABLE_FIELDS}
        for name, messages in services.personal_data_errors(self.instance, values).items():
            self.add_error(name, messages)
        return cleaned


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-mostly: status changes go through the portal's pages, never through the admin; personal
    data may be corrected, through the service that checks and records each change."""

    form = ApplicationAdminForm

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
        "region",
        "stream",
        "iin_mismatch",
        "registered_at_organisation",
        "submitted_at",
        "status_changed_at",
        "ineligibility_reason",
        "ineligibility_note",
        "is_citizen_confirmed",
        "language",
    ]
    autocomplete_fields = ["district"]
    inlines = [StatusChangeInline]

    def has_add_permission(self, request):
        return False  # applications come in through the online form, the walk-in form or an import

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in form.changed_data if name in services.CORRECTABLE_FIELDS}
        try:
            services.application_correct(application_id=obj.pk, actor=request.user, values=values)
        except ValidationError as exc:  # checked in the form already; a race is still refused
            raise ValidationError(exc.messages) from None


@admin.register(ApplicantList)
class ApplicantListAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "district", "state", "sent_at", "accepted_at"]
    list_filter = ["state"]
    list_select_related = ["district", "stream__year"]
    readonly_fields = ["state", "sent_at", "accepted_at", "accepted_by"]


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "organisation", "state", "total_rows", "imported_count", "created_at"]
    list_filter = ["state"]
    readonly_fields = ["rows"]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    """Documents are attached through the application page, where their type and size are checked."""

    list_display = ["application", "kind", "content_type", "size", "uploaded_by", "uploaded_at"]
    list_select_related = ["application", "uploaded_by"]
    exclude = ["file"]


# --- Document downloads (issue 9): the audit of who downloaded which document, read-only --------


@admin.register(DocumentDownload)
class DocumentDownloadAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "document", "document__application"]
    list_filter = ["at"]
    search_fields = ["user__username", "document__application__number"]
    list_select_related = ["user", "document__application"]
    readonly_fields = ["at", "user", "document"]
