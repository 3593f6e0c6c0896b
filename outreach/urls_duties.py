"""URLs of the duties part (mounted by outreach/urls.py under /outreach/)."""

from django.urls import path

from outreach import views_activities, views_duties

urlpatterns = [
    path("duties/", views_duties.duty_matrix, name="duty-matrix"),
    path("duties/new/", views_duties.duty_new, name="duty-new"),
    path("duties/frequencies/", views_duties.duty_policy, name="duty-policy"),
    path("duties/export/", views_duties.duty_export, name="duty-export"),
    path("duties/import/", views_duties.duty_import, name="duty-import"),
    path("duties/<int:pk>/", views_duties.duty_detail, name="duty-detail"),
    path("duties/<int:pk>/reassign/", views_duties.duty_reassign_view, name="duty-reassign"),
    path("duties/<int:pk>/end/", views_duties.duty_end_view, name="duty-end"),
    path("activities/", views_activities.activity_list, name="activity-list"),
    path("activities/new/", views_activities.activity_new, name="activity-new"),
    path("activities/figures/", views_activities.activity_figures, name="activity-figures"),
    path("activities/problems/", views_activities.activity_problems, name="activity-problems"),
    path("activities/export/", views_activities.activity_export, name="activity-export"),
    path("activities/import/", views_activities.activity_import, name="activity-import"),
    path("activities/<int:pk>/", views_activities.activity_detail, name="activity-detail"),
    path("activities/photos/<int:pk>/", views_activities.activity_photo, name="activity-photo"),
]
