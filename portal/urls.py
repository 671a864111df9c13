from django.urls import path

from portal import health, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("language/", views.set_language, name="set_language"),
    path("health/", health.health, name="health"),
]
