"""The ledger pages, under one namespace ("ledger:")."""

from django.urls import path

from governance.ledger import catalogues
from governance.ledger.views import items, reviews

app_name = "ledger"

urlpatterns = [
    # Items
    path("items/", items.item_list, name="item-list"),
    path("items/new/", items.item_create, name="item-create"),
    path("items/<int:pk>/", items.item_detail, name="item-detail"),
    path("items/<int:pk>/reveal/", items.item_reveal, name="item-reveal"),
    path(
        "items/<int:pk>/attachments/<int:attachment_pk>/",
        items.item_attachment,
        name="item-attachment",
    ),
    path("items/<int:pk>/<slug:step>/", items.item_step, name="item-step"),
    path("queue/", items.department_queue, name="department-queue"),
    path("extensions/", items.extension_list, name="extension-list"),
    path("<int:ledger_pk>/import/", items.item_import, name="item-import"),
    path("items/export.xlsx", items.item_export, name="item-export"),
    # Figures and review meetings
    path("figures/", reviews.figures_page, name="figures"),
    path("figures/export/", reviews.figures_export, name="figures-export"),
    path("review/weekly/<int:unit_pk>/", reviews.weekly_review, name="weekly-review"),
    path(
        "review/weekly/<int:unit_pk>/items/<int:item_pk>/",
        reviews.weekly_review_item,
        name="weekly-review-item",
    ),
    path(
        "review/weekly/<int:unit_pk>/meeting/",
        reviews.weekly_review_meeting,
        name="weekly-review-meeting",
    ),
    path(
        "review/weekly/<int:unit_pk>/schedule/",
        reviews.weekly_review_schedule,
        name="weekly-review-schedule",
    ),
    path("review/monthly/<int:township_pk>/", reviews.monthly_review, name="monthly-review"),
    path(
        "review/monthly/<int:township_pk>/export/",
        reviews.monthly_review_export,
        name="monthly-review-export",
    ),
    path(
        "review/monthly/<int:township_pk>/meeting/",
        reviews.monthly_review_meeting,
        name="monthly-review-meeting",
    ),
    *catalogues.CATEGORIES.urlpatterns(),
]
