"""Door-to-door visit coverage (入户走访全覆盖): the figures, defined once.

- A round is a calendar period of the district's `RoundPolicy.months` (1 = each month), counted
  from January; today's round is the one containing today (Asia/Shanghai dates). A district
  without a policy visits monthly and is reminded `RoundPolicy` defaults' days before the end.
- Households in scope: active households of the unit's subtree, in the grid they are in now.
- Visited in the round: the household's `last_visited_at` (kept by the visit service as the
  latest `visited_at` of its logs) falls in the round. A household visited twice counts once; a
  household that moved grids mid-round counts, visited or not, in the grid it is in now.
- Coverage = visited / households (None when there are no households).
- Not yet visited = households − visited: exactly the rows of `unvisited()`, the drill-down.
- Behind (laggard), among the children of a unit: the bottom fifth by coverage (at least one
  once three children have households; ties with the last of them included), never a child
  already at 100%.
- A household with care tags is due again `visit_every_days` after its last visit (the shortest
  of its tags), whatever the round; never visited counts as due.
- The walking order of a list: grid, then building, entrance and room, each compared shortest
  first so that "2号楼" comes before "10号楼" and room 301 before 1201.

Every function costs a fixed number of queries whatever the number of units and households.
"""

import datetime
import math
from dataclasses import dataclass

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, Length, Substr
from django.utils import timezone

from governance.models import Unit
from grids.models import CareTag, Household, RoundPolicy

#: The bottom fifth of the children, by coverage, are marked as behind.
LAGGARD_SHARE = 0.2
_POLICY_DEFAULTS = {
    "months": RoundPolicy._meta.get_field("months").default,
    "remind_days_before_end": RoundPolicy._meta.get_field("remind_days_before_end").default,
}
WALK_ORDER = (
    "grid__path",
    Length("building"),
    "building",
    Length("entrance"),
    "entrance",
    Length("room"),
    "room",
    "pk",
)


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

    def days_left(self, today: datetime.date) -> int:
        """Days of the round from `today` to its last day, both included."""
        return (self.end - today).days


@dataclass(frozen=True)
class DistrictRound:
    """A district's round on a day, and when its end-of-round reminders start."""

    district_id: int
    district_path: str
    round: Round
    remind_days_before_end: int

    def reminding_on(self, today: datetime.date) -> bool:
        """From `remind_days_before_end` days before the round ends to its last day."""
        first = self.round.end - datetime.timedelta(days=self.remind_days_before_end)
        return first <= today <= self.round.last_day


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
    ) or _POLICY_DEFAULTS["months"]
    return round_for(months, today)


def district_rounds(today: datetime.date) -> list[DistrictRound]:
    """Every district's round on `today`, in one query (the reminder sweeps' calendar)."""
    rows = (
        Unit.objects.filter(depth=1, kind=Unit.Kind.DISTRICT)
        .values_list("pk", "path", "round_policy__months", "round_policy__remind_days_before_end")
        .order_by("path")
    )
    return [
        DistrictRound(
            pk,
            path,
            round_for(months or _POLICY_DEFAULTS["months"], today),
            _POLICY_DEFAULTS["remind_days_before_end"] if remind is None else remind,
        )
        for pk, path, months, remind in rows
    ]


def visited_q(rnd: Round) -> Q:
    """Households visited in the round (their latest visit falls in it)."""
    return Q(last_visited_at__gte=rnd.start_at, last_visited_at__lt=rnd.end_at)


def low_coverage(households: int, visited: int, percent: int) -> bool:
    """A grid's coverage is below `percent` % (exact integer comparison, no rounding); a grid
    without households is never below."""
    return households > 0 and 100 * visited < percent * households


def _in_subtrees(paths: list[str]) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(grid__path__startswith=path)
    return condition


def unit_coverage(unit: Unit, rnd: Round) -> dict:
    """Households, visited and coverage for the subtree of one unit."""
    counts = (
        Household.objects.active()
        .filter(grid__path__startswith=unit.path)
        .aggregate(households=Count("pk"), visited=Count("pk", filter=visited_q(rnd)))
    )
    return _with_rate(counts)


def unit_residents(unit: Unit) -> int:
    """Residents on the register: the members of the subtree's active households."""
    return (
        Household.objects.active()
        .filter(grid__path__startswith=unit.path)
        .aggregate(n=Coalesce(Sum("members"), 0))["n"]
    )


def child_coverage(unit: Unit, rnd: Round) -> list[dict]:
    """The same figures for each child of `unit` (for a village/community: each grid);
    children without households show zeros. Each row: unit, households, visited, unvisited,
    rate, laggard.

    Three queries whatever the size: the grids of the subtree, the households counted per grid
    (an index walk on (grid, last_visited_at), no join to the units), and the children; the
    per-grid counts are added up per child here. At district scale (365,000 households) this
    is several times faster than grouping by a path prefix computed on a join.
    """
    length = (unit.depth + 1) * unit.steplen
    grid_prefix = dict(
        Unit.objects.filter(path__startswith=unit.path, kind=Unit.Kind.GRID)
        .annotate(prefix=Substr("path", 1, length))
        .values_list("pk", "prefix")
    )
    totals: dict[str, list[int]] = {}
    per_grid = _per_grid(unit, rnd)
    for row in per_grid:
        total = totals.setdefault(grid_prefix[row["grid_id"]], [0, 0])
        total[0] += row["households"]
        total[1] += row["visited"]
    rows = []
    for child in Unit.objects.filter(parent=unit).territory().order_by("path"):
        households, visited = totals.get(child.path, (0, 0))
        rows.append(_with_rate({"unit": child, "households": households, "visited": visited}))
    return mark_laggards(rows)


def grids_coverage(paths: list[str], rnd: Round) -> list[dict]:
    """Per grid of the subtrees at `paths` (several districts at once, for the reminder sweeps):
    grid_id, grid__name, grid__path, households, visited, unvisited, rate. One query; grids
    without households are left out."""
    if not paths:
        return []
    rows = (
        Household.objects.active()
        .filter(_in_subtrees(paths))
        .values("grid_id", "grid__name", "grid__path")
        .annotate(households=Count("pk"), visited=Count("pk", filter=visited_q(rnd)))
        .order_by("grid__path")
    )
    return [_with_rate(dict(row)) for row in rows]


def _per_grid(unit: Unit, rnd: Round):
    """Households and visited in the round per grid of the subtree: an index walk on (grid,
    last_visited_at), no join to the units."""
    return (
        Household.objects.active()
        .filter(
            grid_id__in=Unit.objects.filter(path__startswith=unit.path, kind=Unit.Kind.GRID).values(
                "pk"
            )
        )
        .values("grid_id")
        .annotate(households=Count("pk"), visited=Count("pk", filter=visited_q(rnd)))
        .order_by()
    )


def grids_below(unit: Unit, rnd: Round, percent: int) -> list[dict]:
    """The grids of the subtree with households whose coverage this round is below `percent` %
    (`low_coverage`), in path order, as rows like child_coverage's (unit, households, visited,
    unvisited, rate; laggard False). Two queries: the per-grid counts, the grids below."""
    per_grid = _per_grid(unit, rnd)
    low = {
        row["grid_id"]: row
        for row in per_grid
        if low_coverage(row["households"], row["visited"], percent)
    }
    grids = Unit.objects.filter(pk__in=list(low)).order_by("path") if low else []
    return [
        _with_rate(
            {
                "unit": grid,
                "households": low[grid.pk]["households"],
                "visited": low[grid.pk]["visited"],
                "laggard": False,
            }
        )
        for grid in grids
    ]


def mark_laggards(rows: list[dict]) -> list[dict]:
    """Mark the children behind (see the module's definitions) with row["laggard"]."""
    rated = sorted(row["rate"] for row in rows if row["rate"] is not None)
    count = max(1, math.floor(len(rated) * LAGGARD_SHARE)) if len(rated) >= 3 else 0
    cutoff = rated[count - 1] if count else None
    for row in rows:
        row["laggard"] = (
            cutoff is not None and row["rate"] is not None and row["rate"] <= cutoff < 1
        )
    return rows


def unvisited(unit: Unit, rnd: Round) -> QuerySet[Household]:
    """Households of the subtree not yet visited this round, in walking order."""
    return (
        Household.objects.active()
        .filter(grid__path__startswith=unit.path)
        .exclude(visited_q(rnd))
        .order_by(*WALK_ORDER)
    )


def care_intervals(district_paths: list[str] | None = None) -> list[int]:
    """The distinct care intervals (days) of the districts' tags (all districts: None)."""
    tags = CareTag.objects.filter(visit_every_days__isnull=False)
    if district_paths is not None:
        tags = tags.filter(district__path__in=district_paths)
    return sorted(set(tags.values_list("visit_every_days", flat=True)))


def care_overdue_in(households: QuerySet, intervals: list[int], now: datetime.datetime):
    """The tagged households of `households` whose shortest care interval has passed.

    The intervals are few (7, 14, 30 days…), so the condition is one OR per interval rather
    than date arithmetic in SQL that SQLite and PostgreSQL spell differently.
    """
    tagged = households.filter(tags__visit_every_days__isnull=False).annotate(
        every=Min("tags__visit_every_days")
    )
    due = Q(pk__in=[])
    for days in intervals:
        due |= Q(every=days) & (
            Q(last_visited_at__isnull=True)
            | Q(last_visited_at__lt=now - datetime.timedelta(days=days))
        )
    return tagged.filter(due)


def care_overdue(unit: Unit, now: datetime.datetime | None = None) -> QuerySet[Household]:
    """Tagged households of the subtree overdue for a care visit, in walking order."""
    now = now or timezone.now()
    households = Household.objects.active().filter(grid__path__startswith=unit.path)
    return care_overdue_in(households, care_intervals([unit.path[: unit.steplen]]), now).order_by(
        *WALK_ORDER
    )


def _with_rate(row: dict) -> dict:
    row["unvisited"] = row["households"] - row["visited"]
    row["rate"] = row["visited"] / row["households"] if row["households"] else None
    return row
