"""URL patterns of the household register, its Excel import and exports, and grid re-drawing;
see grids/urls.py."""

from django.urls import path

from grids import views_households as views

urlpatterns = [
    path("households/", views.household_list, name="household-list"),
    path("households/new/", views.household_create, name="household-create"),
    path("households/<int:pk>/edit/", views.household_edit, name="household-edit"),
    path(
        "households/<int:pk>/deactivate/",
        views.household_deactivate,
        name="household-deactivate",
    ),
    path("households/import/", views.household_import, name="household-import"),
    path("households/export.xlsx", views.household_export, name="household-export"),
    path("visits/export.xlsx", views.visit_export, name="visit-export"),
    path("redraw/<int:community_pk>/", views.redraw_new, name="redraw-new"),
    path("redraw/<int:community_pk>/history/", views.redraw_list, name="redraw-list"),
]
