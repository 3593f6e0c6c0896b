"""Harness cases of staff's grid pages (tests/test_url_harness.py runs them)."""

from tests.harness import Case

grid_a = lambda w: {"grid_pk": w.grid_a.pk}  # noqa: E731
grid_b = lambda w: {"grid_pk": w.grid_b.pk}  # noqa: E731

CASES = [
    Case("grids:grid-public-page", grid_a, grid_b),
    Case("grids:grid-detail", grid_a, grid_b),
    Case("grids:grid-edit", grid_a, grid_b),
    Case("grids:grid-poster", grid_a, grid_b),
]
