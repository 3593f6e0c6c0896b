"""Problem ledgers (台账): the figures of governance/ledger/figures.py for the items that arose in
the unit's subtree and were received in the period, per child, the overdue items by age, and
the monthly and weekly trend of items collected and resolved.

Four queries: the counts of the period grouped by child (the unit's headline is their sum, items
registered at the unit itself included), the same for the previous period, the open items
overdue now by age, and the trend (one query grouped by day of receipt, bucketed here).
"""

import datetime
from urllib.parse import urlencode

from django.db.models import Count, Q
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
    trend,
    trend_start,
)
from governance.ledger import figures as ledger
from governance.models import LedgerItem

COUNTS = ("collected", "resolved", "overdue", "responded_on_time", "rated", "content")
#: Overdue by age: open items whose deadline passed at least this many days ago.
AGES = (7, 30)


def _counts(ctx: Context, start, end) -> dict[str, dict]:
    """The counts per branch path (a child's path, or shorter for items at the unit itself)."""
    aggregates = ledger._aggregates(ctx.now)
    rows = (
        ledger.cohort(ctx.unit, start, end)
        .annotate(branch=ctx.branch())
        .values("branch")
        .annotate(**{name: aggregates[name] for name in COUNTS})
        .order_by()
    )
    return {row["branch"]: row for row in rows}


def _figures(counts: dict) -> dict:
    rates = ledger._rates({**dict.fromkeys(ledger.COUNTS, 0), **counts})
    return {
        "collected": counts["collected"],
        "resolved": counts["resolved"],
        "overdue": counts["overdue"],
        "response_rate": rates["response_rate"],
        "resolution_rate": rates["resolution_rate"],
        "satisfaction_rate": rates["satisfaction_rate"],
    }


#: The count each figure's drill-down lists (for a rate: its numerator).
LIST_OF = {
    "collected": "collected",
    "resolved": "resolved",
    "overdue": "overdue",
    "response_rate": "responded_on_time",
    "resolution_rate": "resolved",
    "satisfaction_rate": "content",
}


def _links(unit, period) -> dict:
    urls = ledger.drilldown_urls(unit.pk, unit.kind, period.start, period.end)
    return {key: urls[count] for key, count in LIST_OF.items()}


def _total(grouped: dict) -> dict:
    total = dict.fromkeys(COUNTS, 0)
    for row in grouped.values():
        for name in COUNTS:
            total[name] += row[name]
    return total


def _trend(ctx: Context) -> dict:
    rows = (
        ledger.cohort(ctx.unit, trend_start(ctx.period.end), ctx.period.end)
        .annotate(day=TruncDate("received_at"))
        .values("day")
        .annotate(collected=Count("pk"), resolved=Count("pk", filter=ledger.RESOLVED))
        .order_by()
    )
    return trend(rows, "day", ("collected", "resolved"), ctx.period.end)


def _attention(ctx: Context) -> list[Attention]:
    today = ctx.today
    open_items = LedgerItem.objects.filter(unit__path__startswith=ctx.unit.path).open()
    if ctx.unit.kind == ctx.unit.Kind.DEPARTMENT:
        open_items = LedgerItem.objects.filter(responsible_unit=ctx.unit).open()
    overdue = Q(due_at__lt=ctx.now)
    aggregates = {"overdue": Count("pk", filter=overdue)}
    for days in AGES:
        aggregates[f"over_{days}"] = Count(
            "pk", filter=overdue & Q(due_at__date__lte=today - datetime.timedelta(days=days))
        )
    counts = open_items.aggregate(**aggregates)
    where = "responsible" if ctx.unit.kind == ctx.unit.Kind.DEPARTMENT else "unit"
    base = reverse("ledger:item-list")
    rows = [
        Attention(
            _("Overdue items (all open items past their deadline)"),
            counts["overdue"],
            f"{base}?{urlencode({where: ctx.unit.pk, 'light': 'red'})}",
        )
    ]
    for days in AGES:
        day = today - datetime.timedelta(days=days)
        rows.append(
            Attention(
                _("Overdue by more than %(days)s days") % {"days": days},
                counts[f"over_{days}"],
                f"{base}?{urlencode({where: ctx.unit.pk, 'overdue_from': day.isoformat()})}",
            )
        )
    return rows


def compute(ctx: Context) -> Result:
    grouped = _counts(ctx, ctx.period.start, ctx.period.end)
    result = Result(values=_figures(_total(grouped)), links=_links(ctx.unit, ctx.period))
    if ctx.previous:
        result.previous = _figures(_total(_counts(ctx, ctx.previous.start, ctx.previous.end)))
    empty = dict.fromkeys(COUNTS, 0)
    for child in ctx.children:
        result.children.append(
            child_row(
                child,
                _figures(grouped.get(child.path, empty)),
                _links(child, ctx.period),
            )
        )
    result.attention = _attention(ctx)
    result.trend = _trend(ctx)
    return result


SECTION = Section(
    key="ledger",
    title=_("Problem ledgers"),
    order=10,
    page="ledger:figures",
    compute=compute,
    figures=(
        Figure("collected", _("Collected")),
        Figure("resolved", _("Resolved")),
        Figure(
            "overdue",
            _("Overdue"),
            lower_is_better=True,
            help=_("items of the period still open past their deadline"),
        ),
        Figure("response_rate", _("Response rate"), kind=RATE),
        Figure("resolution_rate", _("Resolution rate"), kind=RATE),
        Figure("satisfaction_rate", _("Satisfaction rate"), kind=RATE),
    ),
    trend_figures=("collected", "resolved"),
    for_departments=True,
)
