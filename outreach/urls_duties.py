"""URLs of the duties part (mounted by outreach/urls.py)."""

urlpatterns: list = []
