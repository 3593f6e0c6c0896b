"""Harness cases of the household register, a household's page and its Excel pages
(tests/test_url_harness.py runs them).

staff_a (township A staff) works on community A's grids; community B's are outside.
"""

from grids.models import Household
from tests.harness import Case


def _household(grid):
    household, _ = Household.objects.get_or_create(
        grid=grid, building="1号楼", entrance="1单元", room="101", defaults={"head_name": "赵六"}
    )
    return {"pk": household.pk}


CASES = [
    Case("grids:household-list"),
    Case("grids:household-create"),
    Case(
        "grids:household-edit",
        lambda w: _household(w.grid_a),
        lambda w: _household(w.grid_b),
    ),
    Case(
        "grids:household-deactivate",
        lambda w: _household(w.grid_a),
        lambda w: _household(w.grid_b),
        post_only=True,
    ),
    Case(
        "grids:household-detail",
        lambda w: _household(w.grid_a),
        lambda w: _household(w.grid_b),
        viewer="worker_a",
    ),
    Case(
        "grids:household-reveal",
        lambda w: _household(w.grid_a),
        lambda w: _household(w.grid_b),
        viewer="worker_a",
        post_only=True,
    ),
    Case("grids:household-import"),
    Case("grids:household-export"),
]
