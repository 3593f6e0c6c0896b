"""Harness cases of the grid worker pages (tests/test_url_harness.py runs them)."""

from governance.models import Unit
from governance.tests.factories import make_person
from grids.services.workers import grid_worker_assign, grid_worker_register
from tests.harness import Case

grid_a = lambda w: {"grid_pk": w.grid_a.pk}  # noqa: E731
grid_b = lambda w: {"grid_pk": w.grid_b.pk}  # noqa: E731


def _assignment(grid_kwargs):
    def kwargs(w):
        grid = Unit.objects.get(pk=grid_kwargs(w)["grid_pk"])
        worker = grid_worker_register(person=make_person(grid, "岗前"))
        return {"pk": grid_worker_assign(worker=worker, grid=grid).pk}

    return kwargs


CASES = [
    Case("grids:worker-list"),
    Case("grids:grid-assign", grid_a, grid_b),
    Case("grids:assignment-end", _assignment(grid_a), _assignment(grid_b), post_only=True),
]
