from django.contrib import admin

from certificates.models import Certificate


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "holder_name", "kind", "issued_on", "revoked_at"]
    list_filter = ["kind"]
    search_fields = ["number", "iin", "holder_name"]
