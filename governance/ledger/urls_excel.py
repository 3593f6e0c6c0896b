"""URL patterns of the ledger pages; see governance/ledger/urls.py."""

from django.urls import path

from governance.ledger import views_excel

urlpatterns = [
    path("<int:ledger_pk>/import/", views_excel.item_import, name="item-import"),
    path("items/export.xlsx", views_excel.item_export, name="item-export"),
]
