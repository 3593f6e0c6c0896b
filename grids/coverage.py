"""Door-to-door visit coverage (入户走访全覆盖): the figures, defined once.

- A round is a calendar period of the district's `RoundPolicy.months` (1 = each month), counted
  from January; today's round is the one containing today (Asia/Shanghai dates).
- Households in scope: active households of the unit's subtree, in the grid they are in now.
- Visited in the round: the household's `last_visited_at` (kept by the visit service as the
  latest `visited_at` of its logs) falls in the round. A household visited twice counts once; a
  household that moved grids mid-round counts, visited or not, in the grid it is in now.
- Coverage = visited / households (None when there are no households).
- A household with care tags is due again `visit_every_days` after its last visit (the shortest
  of its tags), whatever the round.

Every function costs a fixed number of queries whatever the number of households.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Min, Q
from django.db.models.functions import Substr
from django.utils import timezone

from governance.models import Unit
from grids.models import CareTag, Household, RoundPolicy


@dataclass(frozen=True)
class Round:
    start: datetime.date
    end: datetime.date  # exclusive
    months: int

    @property
    def last_day(self) -> datetime.date:
        return self.end - datetime.timedelta(days=1)

    @property
    def start_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.start, datetime.time()))

    @property
    def end_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.end, datetime.time()))


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def round_for(months: int, today: datetime.date) -> Round:
    first_month = (today.month - 1) // months * months + 1
    start = datetime.date(today.year, first_month, 1)
    return Round(start, _add_months(start, months), months)


def current_round(unit: Unit, today: datetime.date | None = None) -> Round:
    """Today's round for the district of `unit` (monthly when the district set none)."""
    today = today or timezone.localdate()
    district_path = unit.path[: unit.steplen]
    months = (
        RoundPolicy.objects.filter(district__path=district_path)
        .values_list("months", flat=True)
        .first()
    ) or 1
    return round_for(months, today)


def _visited(rnd: Round) -> Q:
    return Q(last_visited_at__gte=rnd.start_at, last_visited_at__lt=rnd.end_at)


def unit_coverage(unit: Unit, rnd: Round) -> dict:
    """Households, visited and coverage for the subtree of one unit."""
    counts = (
        Household.objects.active()
        .filter(grid__path__startswith=unit.path)
        .aggregate(households=Count("pk"), visited=Count("pk", filter=_visited(rnd)))
    )
    return _with_rate(counts)


def child_coverage(unit: Unit, rnd: Round) -> list[dict]:
    """The same figures for each child of `unit` (for a village/community: each grid), in one
    query grouped by the child's path prefix; children without households show zeros."""
    length = (unit.depth + 1) * unit.steplen
    grouped = {
        row["prefix"]: row
        for row in Household.objects.active()
        .filter(grid__path__startswith=unit.path)
        .annotate(prefix=Substr("grid__path", 1, length))
        .values("prefix")
        .annotate(households=Count("pk"), visited=Count("pk", filter=_visited(rnd)))
        .order_by()
    }
    rows = []
    for child in Unit.objects.filter(parent=unit).territory().order_by("path"):
        row = grouped.get(child.path, {"households": 0, "visited": 0})
        rows.append(
            _with_rate({"unit": child, "households": row["households"], "visited": row["visited"]})
        )
    return rows


def unvisited(unit: Unit, rnd: Round):
    """Households of the subtree not yet visited this round, in walking order."""
    return (
        Household.objects.active()
        .filter(grid__path__startswith=unit.path)
        .exclude(_visited(rnd))
        .order_by("grid__path", "building", "entrance", "room", "pk")
    )


def care_overdue(unit: Unit, now: datetime.datetime | None = None):
    """Tagged households whose shortest care interval has passed since their last visit.

    The district's intervals are few (7, 14, 30 days…), so the condition is one OR per
    interval rather than date arithmetic in SQL that SQLite and PostgreSQL spell differently.
    """
    now = now or timezone.now()
    tagged = (
        Household.objects.active()
        .filter(grid__path__startswith=unit.path, tags__visit_every_days__isnull=False)
        .annotate(every=Min("tags__visit_every_days"))
    )
    intervals = sorted(
        set(
            CareTag.objects.filter(
                district__path=unit.path[: unit.steplen], visit_every_days__isnull=False
            ).values_list("visit_every_days", flat=True)
        )
    )
    due = Q(pk__in=[])
    for days in intervals:
        due |= Q(every=days) & (
            Q(last_visited_at__isnull=True)
            | Q(last_visited_at__lt=now - datetime.timedelta(days=days))
        )
    return tagged.filter(due).order_by("grid__path", "building", "entrance", "room", "pk")


def _with_rate(row: dict) -> dict:
    row["unvisited"] = row["households"] - row["visited"]
    row["rate"] = row["visited"] / row["households"] if row["households"] else None
    return row
