"""URL patterns of the visit pages; see grids/urls.py."""

from django.urls import path

from grids import views_visits

urlpatterns = [
    path("visits/", views_visits.visit_list, name="visit-list"),
    path("visits/new/", views_visits.visit_new, name="visit-new"),
    path("visits/<int:pk>/", views_visits.visit_detail, name="visit-detail"),
    path("visits/<int:pk>/review/", views_visits.visit_review_view, name="visit-review"),
    path(
        "visits/<int:pk>/supplement/", views_visits.visit_supplement_view, name="visit-supplement"
    ),
    path("visits/<int:pk>/photo/", views_visits.visit_photo, name="visit-photo"),
    path("households/<int:pk>/", views_visits.household_detail, name="household-detail"),
    path("households/<int:pk>/reveal/", views_visits.household_reveal, name="household-reveal"),
    path("households/<int:pk>/visit/", views_visits.visit_form, name="visit-form"),
]
