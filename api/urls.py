"""The API's URLs: one router per resource module (api/applications.py, api/training.py, …), the
OpenAPI schema and its interactive docs (docs/architecture.md "The REST API": adding a resource)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import applications, certificates, commissions, financing, training

ROUTERS = [applications.router, training.router, commissions.router, certificates.router, financing.router]

app_name = "api"
urlpatterns = [
    *(path("", include(router.urls)) for router in ROUTERS),
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path(
        "docs/",
        login_not_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
]
