"""Harness cases of grid re-drawing (tests/test_url_harness.py runs them)."""

from tests.harness import Case

community_a = lambda w: {"community_pk": w.community_a.pk}  # noqa: E731
community_b = lambda w: {"community_pk": w.community_b.pk}  # noqa: E731

CASES = [
    Case("grids:redraw-new", community_a, community_b),
    Case("grids:redraw-list", community_a, community_b),
]
