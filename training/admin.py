from django.contrib import admin

from training.models import GroupMember, Module, TeachingDay, TrainingGroup


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["number", "title_kk", "title_ru", "title_en"]


class TeachingDayInline(admin.TabularInline):
    model = TeachingDay
    fields = ["ordinal", "date", "module"]
    extra = 0


@admin.register(TrainingGroup)
class TrainingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "stream", "district", "capacity", "course_start"]
    list_filter = ["stream", "region"]
    search_fields = ["name", "place"]
    list_select_related = ["stream__year", "district"]
    filter_horizontal = ["trainers"]
    inlines = [TeachingDayInline]


admin.site.register(GroupMember)
