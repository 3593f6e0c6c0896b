"""URL patterns of the ledger pages; see governance/ledger/urls.py."""

urlpatterns = []
