"""A unit's dashboard for a period: every section's figures, previous values, child rankings,
attention rows and trends, as one JSON-ready dict (what a snapshot stores and pages render).

`build()` costs one query for the unit's children plus each section's fixed number of queries,
whatever the size of the data."""

import time

from django.utils import timezone

from dashboards.sections import all_sections
from dashboards.sections.base import Context
from governance import periods
from governance.models import Unit
from governance.periods import Period

#: The bottom fifth of the ranked children (at least one, once three are ranked) are laggards.
LAGGARD_SHARE = 0.2


def children_of(unit: Unit) -> list[Unit]:
    if unit.kind == Unit.Kind.DEPARTMENT:
        return []
    return list(Unit.objects.filter(parent=unit, is_active=True).territory().order_by("path"))


def build(unit: Unit, period: Period, *, compare: bool = True, now=None) -> dict:
    started = time.perf_counter()
    now = now or timezone.now()
    previous = periods.previous(period, timezone.localdate(now)) if compare else None
    ctx = Context(unit=unit, children=children_of(unit), period=period, previous=previous, now=now)
    sections = {}
    department = unit.kind == Unit.Kind.DEPARTMENT
    for section in all_sections():
        if department and not section.for_departments:
            continue
        result = section.compute(ctx)
        sections[section.key] = result.as_dict()
    return {
        "unit_id": unit.pk,
        "preset": period.kind,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "previous": (
            {
                "start": previous.start.isoformat(),
                "end": previous.end.isoformat(),
                "to_date": previous.end < periods.previous(period).end,
            }
            if previous
            else None
        ),
        "computed_at": now.isoformat(),
        "took_ms": round(1000 * (time.perf_counter() - started)),
        "children": [{"unit_id": c.pk, "name": c.name, "kind": c.kind} for c in ctx.children],
        "sections": sections,
    }


def rank(rows: list[dict], key: str, *, lower_is_better: bool) -> list[dict]:
    """Rank child rows on one figure: best first, equal values share a rank, rows without a
    value last and unranked; the bottom fifth of the ranked rows (at least one once three are
    ranked) are laggards. Returns new dicts with "value", "rank" and "laggard"."""
    ranked = [dict(row, value=row["values"].get(key)) for row in rows]
    with_value = [r for r in ranked if r["value"] is not None]
    without = [r for r in ranked if r["value"] is None]

    def sort_key(row):
        value = float(row["value"])
        return (value if lower_is_better else -value, row["name"])

    with_value.sort(key=sort_key)
    previous = None
    for position, row in enumerate(with_value, start=1):
        same = previous is not None and float(previous["value"]) == float(row["value"])
        row["rank"] = previous["rank"] if same else position
        previous = row
    laggards = max(1, int(len(with_value) * LAGGARD_SHARE)) if len(with_value) >= 3 else 0
    if laggards:
        worst = with_value[-laggards]["value"]
        # Ties with the last laggard are laggards too; the best value never is.
        best = with_value[0]["value"]
        for row in with_value:
            row["laggard"] = float(row["value"]) != float(best) and (
                float(row["value"]) >= float(worst)
                if lower_is_better
                else float(row["value"]) <= float(worst)
            )
    for row in without:
        row["rank"] = None
    for row in ranked:
        row.setdefault("laggard", False)
    return with_value + without
