from django.urls import path

from geography import views

app_name = "geography"
urlpatterns = [path("districts/", views.district_options, name="district_options")]
