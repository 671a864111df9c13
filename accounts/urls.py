from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/code/", views.password_reset_code, name="password_reset_code"),
    path("password/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("colleagues/", views.colleagues, name="colleagues"),
]
