"""Door-to-door visits (入户走访): coverage of the district's round containing today, per child,
the grids with low coverage and the care visits overdue (grids/coverage.py's definitions), and
the visits logged in the period with their monthly and weekly trend.

Coverage is a state now (the round containing today, whatever the period): households, visited
this round, not yet visited and coverage are `current`. Visits logged is the period's count of
visit logs (`visited_at` in the period) filed in the subtree's grids.

Eight queries whatever the size: the district's round policy; the units of the subtree (to add
up per child what is counted per grid); the households counted per grid (an integer GROUP BY
over the index on (grid, last_visited_at), as coverage.child_coverage does), which gives the
headline, the children and the grids below LOW_COVERAGE; the visits of the period per grid (the
index on (grid, visited_at), instants not dates) and of the previous period; the care
intervals and the care visits overdue; and the trend, one query grouped by day of visit.
"""

from urllib.parse import urlencode

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dashboards.sections.base import (
    RATE,
    Attention,
    Context,
    Figure,
    Result,
    Section,
    child_row,
    moment,
    trend,
    trend_start,
)
from governance.models import Unit
from grids import coverage
from grids.models import Household, VisitLog

#: Grids whose coverage this round is below this percentage need attention.
LOW_COVERAGE = 50
COVERAGE = ("households", "visited", "unvisited", "coverage")


def _subtree_units(unit: Unit) -> dict[int, tuple[str, str]]:
    """{pk: (path, kind)} of the units of the subtree (grids and the units above them)."""
    return {
        pk: (path, kind)
        for pk, path, kind in Unit.objects.filter(path__startswith=unit.path).values_list(
            "pk", "path", "kind"
        )
    }


def _per_grid(unit: Unit, rnd: coverage.Round) -> list[dict]:
    """Households and visited this round per grid of the subtree (the unit a household is
    registered at, usually a grid): the definitions of coverage.unit_coverage."""
    return list(
        Household.objects.active()
        .within(unit)
        .values("grid_id")
        .annotate(households=Count("pk"), visited=Count("pk", filter=coverage.visited_q(rnd)))
        .order_by()
    )


def _visits(unit: Unit, start, end):
    return VisitLog.objects.within(unit).filter(
        visited_at__gte=moment(start), visited_at__lt=moment(end)
    )


def _values(households: int, visited: int, visits: int) -> dict:
    return {
        "households": households,
        "visited": visited,
        "unvisited": households - visited,
        "coverage": visited / households if households else None,
        "visits": visits,
    }


def _links(unit: Unit, period) -> dict:
    households = reverse("grids:household-list")
    visited = f"{households}?{urlencode({'unit': unit.pk, 'visited': 1})}"
    visits = {
        "unit": unit.pk,
        "from": period.start.isoformat(),
        "to": period.last.isoformat(),
    }
    return {
        "households": f"{households}?{urlencode({'unit': unit.pk})}",
        "visited": visited,
        "unvisited": reverse("grids:unvisited", args=[unit.pk]),
        "coverage": visited,
        "visits": f"{reverse('grids:visit-list')}?{urlencode(visits)}",
    }


def _trend(ctx: Context) -> dict:
    rows = (
        _visits(ctx.unit, trend_start(ctx.period.end), ctx.period.end)
        .annotate(day=TruncDate("visited_at"))
        .values("day")
        .annotate(visits=Count("pk"))
        .order_by()
    )
    return trend(rows, "day", ("visits",), ctx.period.end)


def compute(ctx: Context) -> Result:
    unit = ctx.unit
    rnd = coverage.current_round(unit, ctx.today)
    units = _subtree_units(unit)
    per_child = {child.path: [0, 0, 0] for child in ctx.children}
    total = [0, 0, 0]
    low = 0
    for row in _per_grid(unit, rnd):
        path, kind = units.get(row["grid_id"], ("", ""))
        total[0] += row["households"]
        total[1] += row["visited"]
        child = ctx.child_of(path)
        if child is not None:
            per_child[child.path][0] += row["households"]
            per_child[child.path][1] += row["visited"]
        if kind == Unit.Kind.GRID and coverage.low_coverage(
            row["households"], row["visited"], LOW_COVERAGE
        ):
            low += 1
    visits = (
        _visits(unit, ctx.period.start, ctx.period.end)
        .values("grid_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in visits:
        total[2] += row["n"]
        child = ctx.child_of(units.get(row["grid_id"], ("", ""))[0])
        if child is not None:
            per_child[child.path][2] += row["n"]

    result = Result(values=_values(*total), links=_links(unit, ctx.period))
    if ctx.previous:
        result.previous = {"visits": _visits(unit, ctx.previous.start, ctx.previous.end).count()}
    for child in ctx.children:
        result.children.append(
            child_row(child, _values(*per_child[child.path]), _links(child, ctx.period))
        )
    care = coverage.care_overdue(unit, ctx.now).count()
    below = f"{reverse('grids:coverage')}?{urlencode({'unit': unit.pk, 'below': LOW_COVERAGE})}"
    result.attention = [
        Attention(
            _("Grids below %(percent)s%% coverage this round") % {"percent": LOW_COVERAGE},
            low,
            below,
        ),
        Attention(
            _("Care visits overdue"),
            care,
            f"{reverse('grids:unvisited', args=[unit.pk])}?care=1",
            level="yellow",
        ),
    ]
    result.trend = _trend(ctx)
    result.note = _("Round %(start_month)s/%(start_day)s – %(last_month)s/%(last_day)s") % {
        "start_month": rnd.start.month,
        "start_day": rnd.start.day,
        "last_month": rnd.last_day.month,
        "last_day": rnd.last_day.day,
    }
    return result


SECTION = Section(
    key="grids",
    title=_("Door-to-door visits"),
    order=20,
    page="grids:coverage",
    compute=compute,
    figures=(
        Figure("households", _("Households"), current=True),
        Figure("visited", _("Visited this round"), current=True),
        Figure(
            "unvisited",
            _("Not yet visited"),
            current=True,
            lower_is_better=True,
            help=_("households not yet visited in the current round"),
        ),
        Figure("coverage", _("Coverage"), kind=RATE, current=True),
        Figure(
            "visits",
            _("Visits logged"),
            help=_("visit logs filed for visits made in the period"),
        ),
    ),
    trend_figures=("visits",),
)
