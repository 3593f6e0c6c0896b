"""URLs of the sites part (mounted by venues/urls.py)."""

urlpatterns: list = []
