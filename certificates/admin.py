from django.contrib import admin

from certificates.models import Certificate


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """Read-only: certificates are issued, revoked and reissued through the Chamber's pages (services)."""

    list_display = ["number", "holder_name", "kind", "issued_on", "render_state", "revoked_at"]
    list_filter = ["kind", "render_state", "year"]
    search_fields = ["number", "iin", "holder_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
