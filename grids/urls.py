"""The grid pages, under one namespace ("grids:")."""

from django.urls import path

from grids import catalogues
from grids.views import coverage, grids, households, public, redraws, visits, workers

app_name = "grids"

urlpatterns = [
    path("visits/", visits.visit_list, name="visit-list"),
    path("visits/new/", visits.visit_new, name="visit-new"),
    path("visits/<int:pk>/", visits.visit_detail, name="visit-detail"),
    path("visits/<int:pk>/review/", visits.visit_review_view, name="visit-review"),
    path("visits/<int:pk>/supplement/", visits.visit_supplement_view, name="visit-supplement"),
    path("visits/<int:pk>/photo/", visits.visit_photo, name="visit-photo"),
    path("households/<int:pk>/", households.household_detail, name="household-detail"),
    path("households/<int:pk>/reveal/", households.household_reveal, name="household-reveal"),
    path("households/<int:pk>/visit/", visits.visit_form, name="visit-form"),
    path("coverage/", coverage.coverage_page, name="coverage"),
    path("coverage/export/", coverage.coverage_export, name="coverage-export"),
    path("coverage/<int:unit_pk>/unvisited/", coverage.unvisited_list, name="unvisited"),
    path("households/", households.household_list, name="household-list"),
    path("households/new/", households.household_create, name="household-create"),
    path("households/<int:pk>/edit/", households.household_edit, name="household-edit"),
    path(
        "households/<int:pk>/deactivate/",
        households.household_deactivate,
        name="household-deactivate",
    ),
    path("households/import/", households.household_import, name="household-import"),
    path("households/export.xlsx", households.household_export, name="household-export"),
    path("visits/export.xlsx", visits.visit_export, name="visit-export"),
    path("redraw/<int:community_pk>/", redraws.redraw_new, name="redraw-new"),
    path("redraw/<int:community_pk>/history/", redraws.redraw_list, name="redraw-list"),
    # 亮身份: the grid's public page and its QR code need no sign-in (grids.views.public).
    path("g/<str:token>/", public.public_grid, name="public-grid"),
    path(
        "g/<str:token>/workers/<int:worker_pk>/photo/",
        public.public_worker_photo,
        name="public-worker-photo",
    ),
    path("g/<str:token>/qr.svg", public.public_grid_qr, name="public-grid-qr"),
    path("workers/", workers.worker_list, name="worker-list"),
    path("<int:grid_pk>/", grids.grid_detail, name="grid-detail"),
    path("<int:grid_pk>/edit/", grids.grid_edit, name="grid-edit"),
    path("<int:grid_pk>/assign/", workers.grid_assign, name="grid-assign"),
    path("assignments/<int:pk>/end/", workers.assignment_end, name="assignment-end"),
    path("<int:grid_pk>/poster/", grids.grid_poster, name="grid-poster"),
    path("<int:grid_pk>/public/", grids.grid_public_page, name="grid-public-page"),
    *catalogues.CARE_TAGS.urlpatterns(),
    *catalogues.VISITING_ROUNDS.urlpatterns(),
]
