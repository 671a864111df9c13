from django.contrib import admin

from core.audit import AuditedAdmin
from programme.models import Holiday, MciRate, ProgrammeYear, Stream


@admin.register(MciRate)
class MciRateAdmin(AuditedAdmin):
    list_display = ["effective_from", "value_tenge"]
    date_hierarchy = "effective_from"


class StreamInline(admin.TabularInline):
    model = Stream
    fields = ["number", "application_opens", "application_closes", "course_start"]
    extra = 0
    show_change_link = True


@admin.register(ProgrammeYear)
class ProgrammeYearAdmin(AuditedAdmin):
    list_display = ["year", "is_active", "teaching_days", "calendar_days", "modules_count", "absence_limit"]
    list_filter = ["is_active"]
    inlines = [StreamInline]


@admin.register(Stream)
class StreamAdmin(AuditedAdmin):
    list_display = [
        "__str__",
        "year",
        "number",
        "application_opens",
        "application_closes",
        "course_start",
        "teaching_days",
        "calendar_days",
        "modules_count",
        "absence_limit",
    ]
    list_filter = ["year", "number"]
    search_fields = ["year__year"]
    date_hierarchy = "application_opens"
    autocomplete_fields = ["districts"]
    list_select_related = ["year"]

    def get_changeform_initial_data(self, request):
        """A new stream starts with its year's course settings."""
        initial = super().get_changeform_initial_data(request)
        year = ProgrammeYear.objects.filter(pk=initial.get("year")).first() or ProgrammeYear.objects.first()
        if year:
            initial.setdefault("year", year.pk)
            for field in ("teaching_days", "calendar_days", "modules_count", "absence_limit", "late_join_days"):
                initial.setdefault(field, getattr(year, field))
        return initial


@admin.register(Holiday)
class HolidayAdmin(AuditedAdmin):
    list_display = ["month", "day", "year", "name_kk", "name_ru", "name_en"]
    list_filter = ["year", "month"]
    search_fields = ["name_kk", "name_ru", "name_en"]
