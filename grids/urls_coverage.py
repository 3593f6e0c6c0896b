"""URL patterns of the coverage pages; see grids/urls.py."""

from django.urls import path

from grids import views_coverage as views

urlpatterns = [
    path("coverage/", views.coverage_page, name="coverage"),
    path("coverage/export/", views.coverage_export, name="coverage-export"),
    path("coverage/<int:unit_pk>/unvisited/", views.unvisited_list, name="unvisited"),
]
