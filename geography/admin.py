from django.contrib import admin

from geography.models import District, Region


class DistrictInline(admin.TabularInline):
    model = District
    fields = ["kato_code", "name_kk", "name_ru", "name_en", "level"]
    extra = 0
    show_change_link = True


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["kato_code", "name_kk", "name_ru", "name_en", "is_city"]
    list_filter = ["is_city"]
    search_fields = ["kato_code", "name_kk", "name_ru", "name_en"]
    inlines = [DistrictInline]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["kato_code", "name_kk", "name_ru", "name_en", "level", "region"]
    list_filter = ["level", "region"]
    search_fields = ["kato_code", "name_kk", "name_ru", "name_en"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
