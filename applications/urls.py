from django.urls import path

from applications import views

app_name = "applications"
urlpatterns = [
    path("apply/", views.apply, name="apply"),
    path("apply/stream/", views.stream_hint, name="stream_hint"),
    path("applications/<uuid:code>/", views.status, name="status"),
    path("applications/<uuid:code>/withdraw/", views.withdraw, name="withdraw"),
    path("applications/<uuid:code>/documents/", views.document_upload, name="document_upload"),
    path("documents/<uuid:code>/", views.document_download, name="document"),
    path("staff/applications/", views.queue, name="queue"),
    path("staff/applications/new/", views.intake, name="intake"),
    path("staff/applications/decide/", views.queue_decide, name="queue_decide"),
    path("staff/applications/<uuid:code>/decide/", views.decide, name="decide"),
    path("staff/lists/", views.lists, name="lists"),
    path("staff/lists/new/", views.list_create, name="list_create"),
    path("staff/lists/<uuid:code>/", views.list_detail, name="list_detail"),
    path("staff/lists/<uuid:code>/<str:action>/", views.list_action, name="list_action"),
    path("staff/lists/<uuid:code>.xlsx", views.list_xlsx, name="list_xlsx"),
    path("staff/lists/<uuid:code>.pdf", views.list_pdf, name="list_pdf"),
    path("staff/import/", views.import_upload, name="import"),
    path("staff/import/template.xlsx", views.import_template, name="import_template"),
    path("staff/import/<uuid:code>/", views.import_job, name="import_job"),
    path("staff/import/<uuid:code>/confirm/", views.import_confirm, name="import_confirm"),
    path("staff/import/<uuid:code>/errors.xlsx", views.import_errors, name="import_errors"),
]
