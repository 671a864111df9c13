from django.urls import path

from commissions import views

app_name = "commissions"
urlpatterns = [
    path("commission/", views.queue, name="queue"),
    path("commission/schedule/", views.schedule, name="schedule"),
    path("commission/cases/<int:case_id>/", views.case_detail, name="case"),
    path("commission/sessions/<uuid:code>/", views.session_detail, name="session"),
    path("commission/sessions/<uuid:code>/score/", views.score, name="score"),
    path("commission/sessions/<uuid:code>/absent/", views.absent, name="absent"),
    path("commission/sessions/<uuid:code>/add/", views.add_participants, name="add_participants"),
    path("commission/sessions/<uuid:code>/confirm/", views.confirm, name="confirm"),
    path("commission/sessions/<uuid:code>/protocol/", views.protocol_state, name="protocol"),
    path("commission/sessions/<uuid:code>/protocol/again/", views.protocol_request, name="protocol_request"),
    path("commission/sessions/<uuid:code>/protocol.pdf", views.protocol_pdf, name="protocol_pdf"),
]
