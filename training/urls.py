from django.urls import path

from training import views

app_name = "training"
urlpatterns = [
    path("staff/groups/", views.groups, name="groups"),
    path("staff/groups/place/", views.place, name="place"),
    path("staff/groups/<uuid:code>/", views.group_detail, name="group"),
    path("staff/groups/<uuid:code>/move-day/", views.move_day, name="move_day"),
    path("staff/groups/<uuid:code>/move-member/", views.move_member, name="move_member"),
    path("staff/groups/<uuid:code>.pdf", views.group_pdf, name="group_pdf"),
]
