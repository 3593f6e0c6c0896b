"""Test data of the grids app (fixtures are in conftest.py)."""

from grids.models import Household


def make_household(grid, room="101", visited=None, **fields) -> Household:
    """A household of `grid`: 张三丰 at 1号楼 1单元 `room` (last visited at `visited`), unless
    the fields say otherwise."""
    values = {"building": "1号楼", "entrance": "1单元", "head_name": "张三丰", **fields}
    return Household.objects.create(grid=grid, room=room, last_visited_at=visited, **values)
