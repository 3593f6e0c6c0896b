"""URLs of the community part (mounted by outreach/urls.py)."""

urlpatterns: list = []
