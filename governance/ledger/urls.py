"""The ledger pages under one namespace ("ledger:"), each group in its own module."""

from governance.ledger import catalogues, urls_excel, urls_items, urls_reviews

app_name = "ledger"

urlpatterns = [
    *urls_items.urlpatterns,
    *urls_excel.urlpatterns,
    *urls_reviews.urlpatterns,
    *catalogues.CATEGORIES.urlpatterns(),
]
