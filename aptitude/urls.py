from django.urls import path

from aptitude import views

app_name = "aptitude"
urlpatterns = [
    path("staff/tests/", views.sessions, name="sessions"),
    path("staff/tests/<uuid:code>/", views.session_detail, name="session"),
    path("staff/tests/<uuid:code>/import/", views.session_import, name="session_import"),
    path("test/<uuid:code>/", views.take, name="take"),
    path("test/<uuid:code>/start/", views.start, name="start"),
    path("test/<uuid:code>/answer/", views.answer, name="answer"),
    path("test/<uuid:code>/submit/", views.submit, name="submit"),
]
