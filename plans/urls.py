from django.urls import path

from plans import views

app_name = "plans"
urlpatterns = [
    path("plans/<uuid:code>/", views.plan_edit, name="edit"),
    path("plans/versions/<uuid:code>/", views.version_detail, name="version"),
]
