"""Reception days (书记接待日): the figures of outreach/figures/reception.py for the sessions held
in the unit's subtree in the period and the demands received at them, per child, the
reception-day items overdue now, and the monthly and weekly trend of demands.

- Sessions: reception sessions held in the subtree in the period (the session list with
  unit/from/to).
- Collected, resolved, still open: the demands received at those sessions, and those of them
  now resolved (the ledger's definition) or still open (RECEPTION_COUNTS); resolution rate =
  resolved / collected. Each drills down to outreach:reception-demand-list?figure=….
- Attention: the subtree's open reception-day ledger items past their deadline, whatever the
  period (the ledger list with unit, source=reception_day and light=red).

Seven queries whatever the size: the demands and the sessions of the period counted per
community (an integer GROUP BY, added up per child here), the same two for the previous period
(outreach.figures.reception.reception_figures), the community paths, the overdue items, and the trend
(one query grouped by session date).
"""

from urllib.parse import urlencode

from django.db.models import Count
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
    trend,
    trend_start,
)
from governance.models import LedgerItem, Source, Unit
from outreach.figures.reception import RECEPTION_COUNTS, demand_list, reception_figures
from outreach.models import ReceptionSession
from outreach.services.reception import COMMUNITY_KINDS

#: The reception counts the section shows (outreach.figures.reception.RECEPTION_COUNTS names).
COUNTS = ("collected", "resolved", "open")


def _aggregates() -> dict:
    return {
        name: Count("pk", filter=RECEPTION_COUNTS[name]) if RECEPTION_COUNTS[name] else Count("pk")
        for name in COUNTS
    }


def _values(counts: dict) -> dict:
    collected = counts["collected"]
    return {
        "sessions": counts["sessions"],
        "collected": collected,
        "resolved": counts["resolved"],
        "open": counts["open"],
        "resolution_rate": counts["resolved"] / collected if collected else None,
    }


def _grouped(ctx: Context) -> tuple[dict, dict]:
    """The unit's totals and {child path: totals}, counted per community."""
    start, end = ctx.period.start, ctx.period.end
    demands = {
        row.pop("session__community_id"): row
        for row in demand_list(ctx.unit, start, end)
        .values("session__community_id")
        .annotate(**_aggregates())
        .order_by()
    }
    sessions = dict(
        ReceptionSession.objects.within(ctx.unit)
        .filter(date__gte=start, date__lt=end)
        .values("community_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("community_id", "n")
    )
    paths = dict(
        Unit.objects.filter(path__startswith=ctx.unit.path, kind__in=COMMUNITY_KINDS).values_list(
            "pk", "path"
        )
    )
    keys = ("sessions", *COUNTS)
    total = dict.fromkeys(keys, 0)
    per_child = {child.path: dict.fromkeys(keys, 0) for child in ctx.children}
    for community in set(demands) | set(sessions):
        counts = {"sessions": sessions.get(community, 0), **demands.get(community, {})}
        child = ctx.child_of(paths.get(community))
        for key in keys:
            value = counts.get(key, 0)
            total[key] += value
            if child is not None:
                per_child[child.path][key] += value
    return total, per_child


def _links(unit, period) -> dict:
    dates = {"from": period.start.isoformat(), "to": period.last.isoformat()}
    demands = reverse("outreach:reception-demand-list")

    def demand_url(figure):
        return f"{demands}?{urlencode({'unit': unit.pk, **dates, 'figure': figure})}"

    return {
        "sessions": f"{reverse('outreach:reception-session-list')}?"
        + urlencode({"unit": unit.pk, **dates}),
        "collected": demand_url("collected"),
        "resolved": demand_url("resolved"),
        "open": demand_url("open"),
        "resolution_rate": demand_url("resolved"),
    }


def _attention(ctx: Context) -> list[Attention]:
    overdue = (
        LedgerItem.objects.filter(unit__path__startswith=ctx.unit.path, source=Source.RECEPTION_DAY)
        .overdue(ctx.now)
        .count()
    )
    query = {"unit": ctx.unit.pk, "source": Source.RECEPTION_DAY, "light": "red"}
    return [
        Attention(
            _("Reception-day demands overdue (open past their deadline)"),
            overdue,
            f"{reverse('ledger:item-list')}?{urlencode(query)}",
        )
    ]


def _trend(ctx: Context) -> dict:
    aggregates = _aggregates()
    rows = (
        demand_list(ctx.unit, trend_start(ctx.period.end), ctx.period.end)
        .values("session__date")
        .annotate(collected=aggregates["collected"], resolved=aggregates["resolved"])
        .order_by()
    )
    return trend(rows, "session__date", ("collected", "resolved"), ctx.period.end)


def compute(ctx: Context) -> Result:
    total, per_child = _grouped(ctx)
    result = Result(values=_values(total), links=_links(ctx.unit, ctx.period))
    if ctx.previous:
        before = reception_figures(ctx.unit, ctx.previous.start, ctx.previous.end)
        result.previous = _values({name: getattr(before, name) for name in ("sessions", *COUNTS)})
    for child in ctx.children:
        result.children.append(
            child_row(child, _values(per_child[child.path]), _links(child, ctx.period))
        )
    result.attention = _attention(ctx)
    result.trend = _trend(ctx)
    return result


SECTION = Section(
    key="reception",
    title=_("Reception days"),
    order=40,
    page="outreach:reception-figures",
    compute=compute,
    figures=(
        Figure("sessions", _("Reception days held")),
        Figure("collected", _("Demands collected")),
        Figure("resolved", _("Demands resolved")),
        Figure(
            "open",
            _("Demands still open"),
            lower_is_better=True,
            help=_("demands of the period not yet resolved or closed"),
        ),
        Figure("resolution_rate", _("Resolution rate"), kind=RATE),
    ),
    trend_figures=("collected", "resolved"),
)
