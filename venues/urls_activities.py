"""URLs of the activities part (mounted by venues/urls.py)."""

urlpatterns: list = []
