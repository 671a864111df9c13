from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Bastau administration")
admin.site.site_title = _("Bastau")
admin.site.index_title = _("Programme administration")

urlpatterns = [
    path("", include("portal.urls")),
    path("accounts/", include("accounts.urls")),
    path("geo/", include("geography.urls")),
    path("", include("applications.urls")),
    path("", include("aptitude.urls")),
    path("", include("training.urls")),
    path("", include("reports.urls")),
    path("api/", include("api.urls")),
    path("", include("financing.urls")),
    path("", include("plans.urls")),
    path("", include("commissions.urls")),
    path("", include("certificates.urls")),
    path("admin/", admin.site.urls),
]
