from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from commissions.models import (
    CaseDecision,
    Commission,
    CommissionMember,
    Criterion,
    DefenceSession,
    SessionCriterion,
)
from core.audit import AuditedAdmin, ReadOnlyAdmin, diff, record, snapshot


class CommissionMemberInline(admin.TabularInline):
    model = CommissionMember
    fields = ["user", "role", "term_from", "term_to"]
    autocomplete_fields = ["user"]
    extra = 0


class CriterionInline(admin.TabularInline):
    """The commission's criteria. A session takes them at its first score and keeps them (SessionCriterion):
    a criterion added, changed or put out of use here applies to the sessions not scored yet only."""

    model = Criterion
    fields = ["position", "name_kk", "name_ru", "name_en", "max_score", "is_active", "scored_sessions"]
    readonly_fields = ["scored_sessions"]
    verbose_name_plural = _("criteria (a change or a new criterion applies to the sessions not scored yet)")
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(scored=Count("sessions_frozen"))

    @admin.display(description=_("sessions scored on it"))
    def scored_sessions(self, obj) -> int:
        return getattr(obj, "scored", 0)


@admin.register(Commission)
class CommissionAdmin(AuditedAdmin):
    """The commission, its members with their terms and its criteria. Every change of a member or a
    criterion is written to the audit log like the commission's own fields."""

    list_display = ["organisation", "district", "region", "pass_threshold", "quorum_min"]
    list_filter = ["region"]
    list_select_related = ["organisation", "district", "region"]
    search_fields = ["organisation__name_kk", "organisation__name_ru", "organisation__name_en"]
    fields = ["organisation", "districts", "pass_threshold", "quorum_min"]
    filter_horizontal = ["districts"]
    inlines = [CommissionMemberInline, CriterionInline]

    def save_formset(self, request, form, formset, change):
        model = formset.model
        fields = [f.name for f in model._meta.concrete_fields if f.name not in ("id",)]
        # From the database: the forms' instances already hold the new values once validated.
        ids = [form.instance.pk for form in formset.initial_forms if form.instance.pk]
        before = {pk: snapshot(obj, fields) for pk, obj in model.objects.in_bulk(ids).items()}
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            record(actor=request.user, obj=obj, action="delete")
            obj.delete()
        for obj in instances:
            created = obj.pk is None
            obj.save()
            after = snapshot(obj, fields)
            changes = diff({} if created else before.get(obj.pk, {}), after)
            if created or changes:
                record(actor=request.user, obj=obj, action="create" if created else "change", changes=changes)
        formset.save_m2m()


@admin.register(CaseDecision)
class CaseDecisionAdmin(ReadOnlyAdmin):
    """Decisions are recorded on the commission's case page, through the service that moves the path."""

    list_display = ["case", "commission", "decision", "decided_on", "recorded_by"]
    list_select_related = ["case", "commission__organisation", "recorded_by"]


class SessionCriterionInline(admin.TabularInline):
    """The criteria the session is scored on, frozen at its first score: read only."""

    model = SessionCriterion
    fields = ["position", "criterion", "max_score"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DefenceSession)
class DefenceSessionAdmin(ReadOnlyAdmin):
    list_display = ["group", "commission", "held_on", "state", "criteria_frozen_at", "protocol_state"]
    list_select_related = ["group", "commission__organisation"]
    inlines = [SessionCriterionInline]
