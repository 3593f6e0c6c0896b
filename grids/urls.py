"""The grid pages under one namespace ("grids:"), each group in its own module."""

from grids import catalogues, urls_coverage, urls_households, urls_public, urls_visits

app_name = "grids"

urlpatterns = [
    *urls_visits.urlpatterns,
    *urls_coverage.urlpatterns,
    *urls_households.urlpatterns,
    *urls_public.urlpatterns,
    *catalogues.CARE_TAGS.urlpatterns(),
    *catalogues.VISITING_ROUNDS.urlpatterns(),
]
