"""Harness cases of the household register, its Excel pages and grid re-drawing
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
    Case("grids:household-import"),
    Case("grids:household-export"),
    Case("grids:visit-export"),
    Case(
        "grids:redraw-new",
        lambda w: {"community_pk": w.community_a.pk},
        lambda w: {"community_pk": w.community_b.pk},
    ),
    Case(
        "grids:redraw-list",
        lambda w: {"community_pk": w.community_a.pk},
        lambda w: {"community_pk": w.community_b.pk},
    ),
]
