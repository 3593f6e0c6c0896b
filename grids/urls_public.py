"""URL patterns of the grid pages; see grids/urls.py."""

urlpatterns = []
