"""URLs of the activities part (mounted by venues/urls.py under /venues/).

Staff pages live under activities/ and week/; the public weekly previews under w/<token>/
(a board of a community, township or district), p/<token>/week/ (a venue, by the venue's
public token) and a/<id>/ (a published activity and its registration form).
"""

from django.urls import path

from venues import views_activities as views
from venues import views_public_activities as public

urlpatterns = [
    path("activities/", views.activity_list, name="activity-list"),
    path("activities/new/", views.activity_create, name="activity-create"),
    path("activities/series/new/", views.activity_series_create, name="activity-series-create"),
    path("activities/figures/", views.activity_figures, name="activity-figures"),
    path("activities/export/", views.activity_export, name="activity-export"),
    path("activities/import/", views.activity_import, name="activity-import"),
    path("activities/<int:pk>/", views.activity_detail, name="activity-detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity-edit"),
    path("activities/<int:pk>/cancel/", views.activity_cancel, name="activity-cancel"),
    path("activities/<int:pk>/attendance/", views.activity_attendance, name="activity-attendance"),
    path("activities/<int:pk>/register/", views.activity_register, name="activity-register"),
    path(
        "activities/registrations/<int:pk>/cancel/",
        views.activity_registration_cancel,
        name="activity-registration-cancel",
    ),
    path("activities/photos/<int:pk>/", views.activity_photo, name="activity-photo"),
    path("week/", views.week_list, name="week-list"),
    path("week/<int:unit_pk>/", views.week_preview, name="week-preview"),
    path("week/<int:unit_pk>/publish/", views.week_publish, name="week-publish"),
    path("week/<int:unit_pk>/withdraw/", views.week_withdraw, name="week-withdraw"),
    path("w/<str:token>/", public.week_board, name="week-board"),
    path("w/<str:token>/poster/", public.week_board_poster, name="week-board-poster"),
    path("w/<str:token>/calendar.ics", public.week_board_ical, name="week-board-ical"),
    path("p/<str:token>/week/", public.week_venue, name="week-venue"),
    path("p/<str:token>/week/poster/", public.week_venue_poster, name="week-venue-poster"),
    path("p/<str:token>/calendar.ics", public.week_venue_ical, name="week-venue-ical"),
    path("a/<int:pk>/", public.week_activity, name="week-activity"),
]
