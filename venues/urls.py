"""The venues pages under one namespace ("venues:"), mounted under /venues/.

Staff pages of venues, their hours, photos, services and the service catalogue; service
requests under requests/; activities under activities/ and the weekly previews under week/.
Pages without sign-in (views/public.py): a venue's page p/<token>/, the public weekly previews
w/<token>/ (a board of a community, township or district), p/<token>/week/ (a venue, by the
venue's public token) and a/<id>/ (a published activity and its registration form).
"""

from django.urls import path

from venues import catalogues
from venues.views import activities, public, requests, sites

app_name = "venues"

urlpatterns = [
    # Venues (sites)
    path("", sites.venue_list, name="venue-list"),
    path("new/", sites.venue_create, name="venue-create"),
    path("import/", sites.venue_import, name="venue-import"),
    path("export.xlsx", sites.venue_export, name="venue-export"),
    path("figures/", sites.figures_page, name="venue-figures"),
    path("<int:pk>/", sites.venue_detail, name="venue-detail"),
    path("<int:pk>/edit/", sites.venue_edit, name="venue-edit"),
    path("<int:pk>/hours/", sites.venue_hours, name="venue-hours"),
    path("<int:pk>/hours/special/new/", sites.period_create, name="period-create"),
    path("hours/special/<int:period_pk>/", sites.period_edit, name="period-edit"),
    path("hours/special/<int:period_pk>/delete/", sites.period_delete, name="period-delete"),
    path("<int:pk>/upgrades/add/", sites.upgrade_add, name="upgrade-add"),
    path("upgrades/<int:upgrade_pk>/delete/", sites.upgrade_delete, name="upgrade-delete"),
    path("<int:pk>/photos/add/", sites.photo_add, name="photo-add"),
    path("photos/<int:photo_pk>/", sites.photo_file, name="photo-file"),
    path("photos/<int:photo_pk>/delete/", sites.photo_delete, name="photo-delete"),
    path("<int:pk>/services/", sites.venue_services, name="venue-services"),
    path("services/", sites.matter_list, name="matter-list"),
    path("services/new/", sites.matter_create, name="matter-create"),
    path("services/<int:matter_pk>/edit/", sites.matter_edit, name="matter-edit"),
    # Service requests
    path("requests/", requests.request_list, name="request-list"),
    path("requests/new/", requests.request_create, name="request-create"),
    path("requests/<int:pk>/", requests.request_detail, name="request-detail"),
    path("requests/<int:pk>/step/", requests.request_step, name="request-step"),
    path("requests/<int:pk>/reveal/", requests.request_reveal, name="request-reveal"),
    path("requests/<int:pk>/follow-up/", requests.request_follow_up, name="request-follow-up"),
    # Activities and the weekly previews
    path("activities/", activities.activity_list, name="activity-list"),
    path("activities/new/", activities.activity_create, name="activity-create"),
    path(
        "activities/series/new/",
        activities.activity_series_create,
        name="activity-series-create",
    ),
    path("activities/figures/", activities.activity_figures, name="activity-figures"),
    path("activities/export/", activities.activity_export, name="activity-export"),
    path("activities/import/", activities.activity_import, name="activity-import"),
    path("activities/<int:pk>/", activities.activity_detail, name="activity-detail"),
    path("activities/<int:pk>/edit/", activities.activity_edit, name="activity-edit"),
    path("activities/<int:pk>/cancel/", activities.activity_cancel, name="activity-cancel"),
    path(
        "activities/<int:pk>/attendance/",
        activities.activity_attendance,
        name="activity-attendance",
    ),
    path("activities/<int:pk>/register/", activities.activity_register, name="activity-register"),
    path(
        "activities/registrations/<int:pk>/cancel/",
        activities.activity_registration_cancel,
        name="activity-registration-cancel",
    ),
    path("activities/photos/<int:pk>/", activities.activity_photo, name="activity-photo"),
    path("week/", activities.week_list, name="week-list"),
    path("week/<int:unit_pk>/", activities.week_preview, name="week-preview"),
    path("week/<int:unit_pk>/publish/", activities.week_publish, name="week-publish"),
    path("week/<int:unit_pk>/withdraw/", activities.week_withdraw, name="week-withdraw"),
    # Without sign-in
    path("p/<str:token>/", public.public_venue, name="public-venue"),
    path("p/<str:token>/photos/<int:photo_pk>/", public.public_photo, name="public-photo"),
    path("w/<str:token>/", public.week_board, name="week-board"),
    path("w/<str:token>/poster/", public.week_board_poster, name="week-board-poster"),
    path("w/<str:token>/calendar.ics", public.week_board_ical, name="week-board-ical"),
    path("p/<str:token>/week/", public.week_venue, name="week-venue"),
    path("p/<str:token>/week/poster/", public.week_venue_poster, name="week-venue-poster"),
    path("p/<str:token>/calendar.ics", public.week_venue_ical, name="week-venue-ical"),
    path("a/<int:pk>/", public.week_activity, name="week-activity"),
    *catalogues.ACTIVITY_CATEGORIES.urlpatterns(),
]
