"""URLs of the sites part (mounted by venues/urls.py under /venues/)."""

from django.urls import path

from venues import views_public_sites as public
from venues import views_sites as views

urlpatterns = [
    path("", views.venue_list, name="venue-list"),
    path("new/", views.venue_create, name="venue-create"),
    path("import/", views.venue_import, name="venue-import"),
    path("export.xlsx", views.venue_export, name="venue-export"),
    path("figures/", views.figures_page, name="venue-figures"),
    path("<int:pk>/", views.venue_detail, name="venue-detail"),
    path("<int:pk>/edit/", views.venue_edit, name="venue-edit"),
    path("<int:pk>/hours/", views.venue_hours, name="venue-hours"),
    path("<int:pk>/hours/special/new/", views.period_create, name="period-create"),
    path("hours/special/<int:period_pk>/", views.period_edit, name="period-edit"),
    path("hours/special/<int:period_pk>/delete/", views.period_delete, name="period-delete"),
    path("<int:pk>/upgrades/add/", views.upgrade_add, name="upgrade-add"),
    path("upgrades/<int:upgrade_pk>/delete/", views.upgrade_delete, name="upgrade-delete"),
    path("<int:pk>/photos/add/", views.photo_add, name="photo-add"),
    path("photos/<int:photo_pk>/", views.photo_file, name="photo-file"),
    path("photos/<int:photo_pk>/delete/", views.photo_delete, name="photo-delete"),
    path("<int:pk>/services/", views.venue_services, name="venue-services"),
    path("services/", views.matter_list, name="matter-list"),
    path("services/new/", views.matter_create, name="matter-create"),
    path("services/<int:matter_pk>/edit/", views.matter_edit, name="matter-edit"),
    path("requests/", views.request_list, name="request-list"),
    path("requests/new/", views.request_create, name="request-create"),
    path("requests/<int:pk>/", views.request_detail, name="request-detail"),
    path("requests/<int:pk>/step/", views.request_step, name="request-step"),
    path("requests/<int:pk>/reveal/", views.request_reveal, name="request-reveal"),
    path("requests/<int:pk>/follow-up/", views.request_follow_up, name="request-follow-up"),
    path("p/<str:token>/", public.public_venue, name="public-venue"),
    path("p/<str:token>/photos/<int:photo_pk>/", public.public_photo, name="public-photo"),
]
