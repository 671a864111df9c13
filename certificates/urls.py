from django.urls import path

from certificates import views

app_name = "certificates"
urlpatterns = [
    path("staff/certificates/", views.groups, name="groups"),
    path("staff/certificates/groups/<uuid:code>/", views.group, name="group"),
    path("staff/certificates/groups/<uuid:code>/issue/", views.issue_group, name="issue_group"),
    path("staff/certificates/groups/<uuid:code>/issue-one/", views.issue_one, name="issue_one"),
    path("staff/certificates/<uuid:code>/", views.detail, name="detail"),
    path("staff/certificates/<uuid:code>/revoke/", views.revoke, name="revoke"),
    path("staff/certificates/<uuid:code>/reissue/", views.reissue, name="reissue"),
    path("staff/certificates/<uuid:code>/render/", views.render_again, name="render_again"),
    path("certificates/<uuid:code>/download/", views.download, name="download"),
    path("certificates/<uuid:code>/state/", views.state, name="state"),
    # Public, no login: the QR code's short link, and the page to look up a number or check a PDF.
    path("c/<uuid:code>/", views.verify_code, name="verify_code"),
    path("verify/", views.verify, name="verify"),
]
