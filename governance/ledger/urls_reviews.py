"""URL patterns of the ledger pages; see governance/ledger/urls.py."""

from django.urls import path

from governance.ledger import views_reviews as views

urlpatterns = [
    path("figures/", views.figures_page, name="figures"),
    path("figures/export/", views.figures_export, name="figures-export"),
    path("review/weekly/<int:unit_pk>/", views.weekly_review, name="weekly-review"),
    path(
        "review/weekly/<int:unit_pk>/items/<int:item_pk>/",
        views.weekly_review_item,
        name="weekly-review-item",
    ),
    path(
        "review/weekly/<int:unit_pk>/meeting/",
        views.weekly_review_meeting,
        name="weekly-review-meeting",
    ),
    path(
        "review/weekly/<int:unit_pk>/schedule/",
        views.weekly_review_schedule,
        name="weekly-review-schedule",
    ),
    path("review/monthly/<int:township_pk>/", views.monthly_review, name="monthly-review"),
    path(
        "review/monthly/<int:township_pk>/export/",
        views.monthly_review_export,
        name="monthly-review-export",
    ),
    path(
        "review/monthly/<int:township_pk>/meeting/",
        views.monthly_review_meeting,
        name="monthly-review-meeting",
    ),
]
