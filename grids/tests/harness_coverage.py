"""Harness cases of the coverage pages."""

from tests.harness import Case

community_a = lambda w: {"unit_pk": w.community_a.pk}  # noqa: E731
community_b = lambda w: {"unit_pk": w.community_b.pk}  # noqa: E731

CASES = [
    # The unit of the coverage page and its export is a query parameter: their scope is tested
    # in grids/tests/test_coverage.py.
    Case("grids:coverage"),
    Case("grids:coverage-export"),
    Case("grids:unvisited", community_a, community_b, viewer="secretary_a"),
]
