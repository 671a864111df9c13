from django.urls import path

from training import attendance_views, views

app_name = "training"
urlpatterns = [
    path("staff/groups/", views.groups, name="groups"),
    path("staff/groups/place/", views.place, name="place"),
    path("staff/groups/<uuid:code>/", views.group_detail, name="group"),
    path("staff/groups/<uuid:code>/move-day/", views.move_day, name="move_day"),
    path("staff/groups/<uuid:code>/move-member/", views.move_member, name="move_member"),
    path("staff/groups/<uuid:code>.pdf", views.group_pdf, name="group_pdf"),
    path("staff/groups/<uuid:code>/attendance/", attendance_views.grid, name="attendance"),
    path("staff/groups/<uuid:code>/attendance/mark/", attendance_views.mark, name="attendance_mark"),
    path("staff/groups/<uuid:code>/attendance/present/", attendance_views.day_present, name="attendance_present"),
    path("staff/groups/<uuid:code>/attendance/deliver/", attendance_views.deliver, name="attendance_deliver"),
    path(
        "staff/groups/<uuid:code>/attendance/<int:membership>/<int:day>/document/",
        attendance_views.absence_document,
        name="absence_document",
    ),
    path("staff/attendance-documents/<uuid:code>/", attendance_views.document_download, name="absence_document_file"),
    path("staff/groups/<uuid:code>/register.xlsx", attendance_views.register_xlsx, name="register_xlsx"),
]
