"""Figures of reception days, as plain selectors (pages and dashboards call these).

`reception_figures(unit, start, end, user=None)`
The cohort: demands (ReceptionDemand) received at sessions held in `unit`'s subtree on a date in
[start, end) (local dates, end excluded); with `user`, only rows in the user's scope. Each count
is the cohort's state now:
- sessions: reception sessions recorded in the subtree in the period.
- collected: every demand received at those sessions (收集).
- answered_on_spot: answered on the spot (当场答复), i.e. replied and resolved at the session.
- resolved: the ledger item is resolved, verified or closed as resolved (办结) — the ledger's
  own definition (governance.ledger.figures.RESOLVED); it includes the on-the-spot answers.
- handed_over: the item is now the responsibility of a functional department (handed to a
  department and not returned), whatever its status.
- open: the item is still received / accepted / in progress / with a department.
Every count has a list of exactly that many rows: `demand_list(..., figure=name)` (the page
outreach:reception-demand-list with ?figure=name).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q

from governance.ledger.figures import OPEN, RESOLVED
from governance.models import Unit
from outreach.models import (
    ReceptionDemand,
    ReceptionSession,
)


def _on_item(condition: Q) -> Q:
    """A LedgerItem condition, read through ReceptionDemand.item."""
    children = []
    for child in condition.children:
        if isinstance(child, Q):
            children.append(_on_item(child))
        else:
            key, value = child
            children.append((f"item__{key}", value))
    return Q(*children, _connector=condition.connector, _negated=condition.negated)


#: The reception counts over ReceptionDemand, in the order pages show them.
RECEPTION_COUNTS = {
    "collected": Q(),
    "answered_on_spot": Q(answered_on_spot=True),
    "resolved": _on_item(RESOLVED),
    "handed_over": Q(item__responsible_unit__kind=Unit.Kind.DEPARTMENT),
    "open": _on_item(OPEN),
}


@dataclass(frozen=True)
class ReceptionFigures:
    sessions: int
    collected: int
    answered_on_spot: int
    resolved: int
    handed_over: int
    open: int

    @property
    def resolution_rate(self) -> float | None:
        return self.resolved / self.collected if self.collected else None


def _demands(unit: Unit, start: datetime.date, end: datetime.date, user=None):
    qs = ReceptionDemand.objects.within(unit).filter(
        session__date__gte=start, session__date__lt=end
    )
    return qs.for_user(user) if user is not None else qs


def _aggregates():
    return {
        name: Count("pk", filter=condition) if condition else Count("pk")
        for name, condition in RECEPTION_COUNTS.items()
    }


def reception_figures(
    unit: Unit, start: datetime.date, end: datetime.date, user=None
) -> ReceptionFigures:
    """Two queries, whatever the number of demands."""
    counts = _demands(unit, start, end, user).aggregate(**_aggregates())
    sessions = ReceptionSession.objects.within(unit).filter(date__gte=start, date__lt=end)
    if user is not None:
        sessions = sessions.for_user(user)
    return ReceptionFigures(sessions=sessions.count(), **counts)


def reception_children(unit: Unit, start, end, user=None) -> list[dict]:
    """The same figures for each territorial unit directly below `unit` (four queries).

    Rows are counted per community (an integer GROUP BY) and added up per child in Python:
    cheaper than grouping every demand by a prefix of its community's path."""
    children = list(
        Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1)
        .territory()
        .order_by("path")
    )
    if not children:
        return []
    per_community = {
        row["session__community_id"]: row
        for row in _demands(unit, start, end, user)
        .values("session__community_id")
        .annotate(**_aggregates())
        .order_by()
    }
    sessions_qs = ReceptionSession.objects.within(unit).filter(date__gte=start, date__lt=end)
    if user is not None:
        sessions_qs = sessions_qs.for_user(user)
    sessions = dict(
        sessions_qs.values("community_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("community_id", "n")
    )
    length = (unit.depth + 1) * unit.steplen
    paths = dict(
        Unit.objects.filter(pk__in=set(per_community) | set(sessions)).values_list("pk", "path")
    )
    totals = {child.path: dict.fromkeys(["sessions", *RECEPTION_COUNTS], 0) for child in children}
    for community, path in paths.items():
        bucket = totals.get(path[:length])
        if bucket is None:
            continue
        bucket["sessions"] += sessions.get(community, 0)
        for name in RECEPTION_COUNTS:
            bucket[name] += per_community.get(community, {}).get(name, 0)
    return [
        {"unit": child, "figures": ReceptionFigures(**totals[child.path])} for child in children
    ]


def demand_list(unit: Unit, start, end, *, figure: str = "collected", user=None):
    """The rows a reception count counts (ValueError for an unknown figure)."""
    if figure not in RECEPTION_COUNTS:
        raise ValueError(figure)
    return _demands(unit, start, end, user).filter(RECEPTION_COUNTS[figure])
