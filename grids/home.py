"""The grids app's home panel: the grid worker's phone home (registered in grids/apps.py)."""

from grids.coverage import current_round, grids_coverage
from grids.models import ReviewStatus, VisitLog
from grids.services.workers import worker_grids


def worker_panel(request):
    """Grid workers: each grid's coverage this round, what is left, and the way to file.

    Three queries whatever the households, visits or grids served: the round, the coverage
    of all the worker's grids (grids.coverage.grids_coverage), the visits sent back.
    """
    grids = worker_grids(request.user)
    if not grids:
        return None
    rnd = current_round(grids[0])  # a worker's grids lie in one district
    figures = {row["grid_id"]: row for row in grids_coverage([g.path for g in grids], rnd)}
    empty = {"households": 0, "visited": 0, "unvisited": 0, "rate": None}
    rows = [{**figures.get(grid.pk, empty), "grid": grid, "round": rnd} for grid in grids]
    rejected = VisitLog.objects.filter(
        worker=request.user, review_status=ReviewStatus.REJECTED
    ).count()
    return {"grid_rows": rows, "rejected": rejected}
