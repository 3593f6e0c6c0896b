"""Figures of dual reporting.

`evaluations_due(community_ids, period)`: the work units posted to each
community on some day of the half-year that have no evaluation by that community for it.
"""

from outreach import evaluation_periods as periods
from outreach.models import UnitEvaluation, WorkUnitPosting


def evaluations_due(community_ids, period: str) -> dict[int, list[int]]:
    """{community id: ids of work units posted there in the half-year without an evaluation}."""
    start, end = periods.bounds(period)
    posted = (
        WorkUnitPosting.objects.filter(community_id__in=community_ids, work_unit__is_active=True)
        .overlapping(start, end)
        .values_list("community_id", "work_unit_id")
        .distinct()
    )
    done = set(
        UnitEvaluation.objects.filter(community_id__in=community_ids, period=period).values_list(
            "community_id", "work_unit_id"
        )
    )
    due: dict[int, list[int]] = {}
    for community, unit in posted:
        if (community, unit) not in done:
            due.setdefault(community, []).append(unit)
    return due
