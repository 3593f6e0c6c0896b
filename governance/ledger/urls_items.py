"""URL patterns of the ledger pages; see governance/ledger/urls.py."""

from django.urls import path

from governance.ledger import views_items

urlpatterns = [
    path("items/", views_items.item_list, name="item-list"),
    path("items/new/", views_items.item_create, name="item-create"),
    path("items/<int:pk>/", views_items.item_detail, name="item-detail"),
    path("items/<int:pk>/reveal/", views_items.item_reveal, name="item-reveal"),
    path(
        "items/<int:pk>/attachments/<int:attachment_pk>/",
        views_items.item_attachment,
        name="item-attachment",
    ),
    path("items/<int:pk>/<slug:step>/", views_items.item_step, name="item-step"),
    path("queue/", views_items.department_queue, name="department-queue"),
    path("extensions/", views_items.extension_list, name="extension-list"),
]
