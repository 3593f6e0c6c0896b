"""The venues pages under one namespace ("venues:"), each part in its own module."""

from venues import catalogues, urls_activities, urls_sites

app_name = "venues"

urlpatterns = [
    *urls_sites.urlpatterns,
    *urls_activities.urlpatterns,
    *catalogues.ACTIVITY_CATEGORIES.urlpatterns(),
]
