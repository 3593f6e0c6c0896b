"""The outreach pages under one namespace ("outreach:"), each part in its own module."""

from outreach import urls_community, urls_duties

app_name = "outreach"

urlpatterns = [
    *urls_duties.urlpatterns,
    *urls_community.urlpatterns,
]
