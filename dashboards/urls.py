"""URL patterns of the dashboards, mounted at /dashboards/."""

from django.urls import path

from dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("screen/", views.screen, name="screen"),
    path("export/", views.export, name="export"),
    path("refresh/", views.refresh, name="refresh"),
]
