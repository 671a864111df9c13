from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("staff/reports/", views.dashboard, name="dashboard"),
    path("staff/reports/<str:table>.<str:file_format>", views.table_export, name="table_export"),
    path("staff/reports/exports/", views.export_start, name="export_start"),
    path("staff/reports/exports/<uuid:code>/", views.export_job, name="export_job"),
    path("staff/reports/exports/<uuid:code>/download/", views.export_download, name="export_download"),
]
