from django.urls import path

from plans import views

app_name = "plans"
urlpatterns = [
    path("plans/<uuid:code>/", views.plan_edit, name="edit"),  # the application's code
    path("plans/<uuid:code>/save/", views.plan_save, name="save"),
    path("plans/<uuid:code>/upload/", views.plan_upload, name="upload"),
    path("plans/<uuid:code>/upload/remove/", views.plan_remove_upload, name="remove_upload"),
    path("plans/<uuid:code>/file/", views.draft_file, name="draft_file"),
    path("plans/<uuid:code>/submit/", views.plan_submit, name="submit"),
    path("plans/versions/<uuid:code>/", views.version_detail, name="version"),  # the version's code
    path("plans/versions/<uuid:code>/comment/", views.version_comment, name="comment"),
    path("plans/versions/<uuid:code>/freeze/", views.version_freeze, name="freeze"),
    path("plans/versions/<uuid:code>/file/", views.version_file, name="file"),
    path("plans/versions/<uuid:code>/pdf/", views.version_pdf, name="pdf"),
    path("plans/versions/<uuid:code>/plan.pdf", views.version_pdf_download, name="pdf_download"),
    path("staff/plans/", views.groups, name="groups"),
    path("staff/plans/<uuid:code>/", views.group_plans, name="group"),  # the group's code
]
