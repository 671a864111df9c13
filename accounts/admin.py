from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from core.audit import AuditedAdmin


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name_kk", "name_ru", "name_en", "kind", "region", "district", "is_active"]
    list_filter = ["kind", "is_active", "region"]
    search_fields = ["name_kk", "name_ru", "name_en", "bin", "district__name_ru", "district__name_kk"]
    autocomplete_fields = ["region", "district"]
    list_select_related = ["region", "district"]


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    list_display = ["username", "last_name", "first_name", "role", "organisation", "phone", "email", "is_active"]
    list_filter = ["role", "is_active", "is_staff", "organisation__kind", "organisation__region"]
    search_fields = ["username", "first_name", "last_name", "patronymic", "email", "phone", "organisation__name_ru"]
    autocomplete_fields = ["organisation"]
    list_select_related = ["organisation"]
    fieldsets = (
        *BaseUserAdmin.fieldsets[:1],
        (_("Personal info"), {"fields": ("last_name", "first_name", "patronymic", "email", "phone", "language")}),
        (_("Role in the programme"), {"fields": ("role", "organisation")}),
        *BaseUserAdmin.fieldsets[2:],
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Role in the programme"), {"fields": ("role", "organisation", "last_name", "first_name", "email")}),
    )
