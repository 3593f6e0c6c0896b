"""The ledger's figures: one place that counts, so a figure is the same number on every page,
in every export and on the dashboards, and equals the length of the list it drills down to.

Functions take a unit and a period and return plain data (dicts of numbers).

Which items a unit's figures count (the cohort)
- A territorial unit (district, township/street, village/community, grid): the items that
  AROSE in its subtree (`LedgerItem.unit` is the unit or below it), wherever they are handled
  now. A community answers for its residents' demands even after handing one to a department.
- A functional department: the items handed to it and still its own
  (`LedgerItem.responsible_unit` is the department); an item it returned is no longer counted.
- The period [start, end) is a range of local dates, end excluded. An item belongs to the
  period of the day it was received (`received_at`, Asia/Shanghai).
- Every count is the cohort's state now (the rows as they are), except `overdue`, which is
  measured at `now` (default: the present). A cohort's figures therefore settle as its items
  are worked off: a month's figures are final once its items are done.

The counts (all over the cohort)
- collected: every item received in the period.
- replied: the resident has had an answer (`replied_at` set: a reply, a resolution or an
  explanation, whichever came first).
- resolved: status resolved or verified, or closed as resolved (after the call-back).
- explained: closed with an explanation (解释说明) because it could not be solved.
- open: still received / accepted / in progress / handed to a department.
  collected = resolved + explained + open.
- overdue: open and past its deadline (`due_at` < now). Items resolved after their deadline
  are not overdue; they are `resolved_late`.
- resolved_on_time: resolved by the deadline (`resolved_at` <= `due_at`; an item without a
  deadline cannot be late). resolved_late: resolved after it. The two add up to `resolved`.
  The deadline is the current one: an approved extension (延期) moves it, a refused one does not.
- responded_on_time: acknowledged within the accept time limit (`accepted_at` <=
  `accept_due_at`). Accepting, starting, replying, resolving, explaining and handing over all
  acknowledge an item; the first of them sets `accepted_at`.
- rated: the resident's satisfaction is recorded (the latest call-back counts).
  content: rated satisfied or basically satisfied.

The rates (None when the denominator is zero; pages show "—")
- response_rate (响应率) = responded_on_time / collected
- resolution_rate (解决率) = resolved / collected
- satisfaction_rate (满意率) = content / rated
- on_time_rate = resolved_on_time / resolved
- score: the composite of Beijing 12345 (接诉即办) weighting, 30 response + 35 resolution +
  35 satisfaction, in points out of 100. A rate that is None leaves the score and the weights
  are taken over the others (a month whose items have not been called back yet is judged on
  response and resolution alone); None when all three are None.

Average handling time
- avg_handling_workdays: over the resolved items, the working days from receipt to resolution
  as deadlines count them: the working days after the day of receipt up to and including the
  day of resolution (0 = resolved on the day it came in), on the official calendar (调休).
  Computed from counts per day, never per item: with W(d) the working days from a fixed day up
  to d, the mean of W(resolved) - W(received) is mean W(resolved) - mean W(received).

Queries: `ledger_figures` costs three queries (the counts, and the resolved items per day of
receipt and per day of resolution) plus one per calendar year the handling times touch;
`child_ranking` the same plus one for the child units, whatever the number of items or units.
"""

import datetime
import math
from urllib.parse import urlencode

from django.db.models import Count, F, Q
from django.db.models.functions import Substr, TruncDate
from django.urls import reverse
from django.utils import timezone

from governance import workdays
from governance.models import (
    OPEN_STATUSES,
    CloseReason,
    LedgerItem,
    Satisfaction,
    Status,
    Unit,
)
from governance.periods import Period, month_start, period  # noqa: F401 (the ledger's callers)

# The definitions above as query conditions. ItemFilter uses the same objects, so a drill-down
# list selects exactly the rows a figure counts.
RESOLVED = Q(status__in=[Status.RESOLVED, Status.VERIFIED]) | Q(
    status=Status.CLOSED, close_reason=CloseReason.RESOLVED
)
EXPLAINED = Q(status=Status.CLOSED, close_reason=CloseReason.EXPLAINED)
OPEN = Q(status__in=OPEN_STATUSES)
REPLIED = Q(replied_at__isnull=False)
RESOLVED_LATE = RESOLVED & Q(resolved_at__gt=F("due_at"))
RESOLVED_ON_TIME = RESOLVED & (
    Q(due_at__isnull=True) | Q(resolved_at__isnull=True) | Q(resolved_at__lte=F("due_at"))
)
RESPONDED_ON_TIME = Q(accepted_at__isnull=False) & (
    Q(accept_due_at__isnull=True) | Q(accepted_at__lte=F("accept_due_at"))
)
RESPONDED_LATE = Q(accepted_at__gt=F("accept_due_at"))
NOT_RESPONDED = Q(accepted_at__isnull=True)
RATED = Q(satisfaction__in=Satisfaction.values)
CONTENT = Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASIC])


def overdue(now: datetime.datetime) -> Q:
    return OPEN & Q(due_at__lt=now)


#: The counts, in the order pages show them.
COUNTS = (
    "collected",
    "replied",
    "resolved",
    "explained",
    "open",
    "overdue",
    "resolved_on_time",
    "resolved_late",
    "responded_on_time",
    "rated",
    "content",
)
RATES = ("response_rate", "resolution_rate", "satisfaction_rate", "on_time_rate")
#: The composite score's weights (Beijing 12345: response 30, resolution 35, satisfaction 35).
WEIGHTS = {"response_rate": 30, "resolution_rate": 35, "satisfaction_rate": 35}
#: The bottom fifth of the ranked units (at least one, once three are ranked) are laggards.
LAGGARD_SHARE = 0.2

#: The ItemFilter parameters selecting each count's rows, besides the unit and the period.
DRILLDOWN = {
    "collected": {},
    "replied": {"replied": "1"},
    "resolved": {"outcome": "resolved"},
    "explained": {"outcome": "explained"},
    "open": {"open": "true"},
    "overdue": {"light": "red"},
    "resolved_on_time": {"outcome": "on_time"},
    "resolved_late": {"outcome": "late"},
    "responded_on_time": {"responded": "on_time"},
    "rated": {"satisfaction": "rated"},
    "content": {"satisfaction": "content"},
}


def _conditions(now: datetime.datetime) -> dict[str, Q | None]:
    return {
        "collected": None,
        "replied": REPLIED,
        "resolved": RESOLVED,
        "explained": EXPLAINED,
        "open": OPEN,
        "overdue": overdue(now),
        "resolved_on_time": RESOLVED_ON_TIME,
        "resolved_late": RESOLVED_LATE,
        "responded_on_time": RESPONDED_ON_TIME,
        "rated": RATED,
        "content": CONTENT,
    }


def _aggregates(now: datetime.datetime) -> dict[str, Count]:
    return {
        name: Count("pk", filter=condition) if condition is not None else Count("pk")
        for name, condition in _conditions(now).items()
    }


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def cohort(unit: Unit, start: datetime.date, end: datetime.date):
    """The items a unit's figures count: see the module docstring."""
    if unit.kind == Unit.Kind.DEPARTMENT:
        items = LedgerItem.objects.filter(responsible_unit=unit)
    else:
        items = LedgerItem.objects.filter(unit__path__startswith=unit.path)
    return items.filter(received_at__gte=_moment(start), received_at__lt=_moment(end)).order_by()


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _rates(counts: dict) -> dict:
    rates = {
        "response_rate": _ratio(counts["responded_on_time"], counts["collected"]),
        "resolution_rate": _ratio(counts["resolved"], counts["collected"]),
        "satisfaction_rate": _ratio(counts["content"], counts["rated"]),
        "on_time_rate": _ratio(counts["resolved_on_time"], counts["resolved"]),
    }
    present = {name: w for name, w in WEIGHTS.items() if rates[name] is not None}
    rates["score"] = (
        round(100 * sum(rates[n] * w for n, w in present.items()) / sum(present.values()), 2)
        if present
        else None
    )
    return rates


def _working_day_index(days, calendar: workdays.WorkCalendar) -> dict[datetime.date, int]:
    """W(d): the working days after the earliest of `days` up to and including d."""
    if not days:
        return {}
    first, last = min(days), max(days)
    index, count, day = {}, 0, first
    while day <= last:
        if day != first and calendar.is_workday(day):
            count += 1
        index[day] = count
        day += workdays.ONE_DAY
    return index


def _handling_workdays(items, group: str | None, calendar: workdays.WorkCalendar) -> dict:
    """Mean working days from receipt to resolution of the resolved items, per group."""
    resolved = items.filter(RESOLVED, resolved_at__isnull=False)
    keys = [group] if group else []
    per_day = {}
    for field in ("received_at", "resolved_at"):
        per_day[field] = list(
            resolved.values(*keys, day=TruncDate(field)).annotate(n=Count("pk")).order_by()
        )
    index = _working_day_index({row["day"] for rows in per_day.values() for row in rows}, calendar)
    totals: dict = {}
    counts: dict = {}
    for field, sign in (("received_at", -1), ("resolved_at", 1)):
        for row in per_day[field]:
            key = row[group] if group else None
            totals[key] = totals.get(key, 0) + sign * index[row["day"]] * row["n"]
            if sign > 0:
                counts[key] = counts.get(key, 0) + row["n"]
    return {key: round(totals[key] / n, 1) for key, n in counts.items()}


def _figures(counts: dict, avg: float | None) -> dict:
    return {**counts, **_rates(counts), "avg_handling_workdays": avg}


def ledger_figures(
    unit: Unit,
    start: datetime.date,
    end: datetime.date,
    *,
    now: datetime.datetime | None = None,
    calendar: workdays.WorkCalendar | None = None,
) -> dict:
    """The unit's counts, rates, score and average handling time for [start, end)."""
    now = now or timezone.now()
    calendar = calendar or workdays.WorkCalendar()
    items = cohort(unit, start, end)
    counts = items.aggregate(**_aggregates(now))
    avg = _handling_workdays(items, None, calendar).get(None)
    return {"unit_id": unit.pk, "start": start, "end": end, **_figures(counts, avg)}


def _rank(rows: list[dict]) -> list[dict]:
    """Best score first; equal scores share a rank and keep the order of their names.

    Units without a score (nothing collected) come last, without a rank."""
    rows.sort(key=lambda r: (r["score"] is None, -(r["score"] or 0), r["name"], r["unit_id"]))
    ranked = [r for r in rows if r["score"] is not None]
    previous = None
    for position, row in enumerate(ranked, start=1):
        row["rank"] = (
            previous["rank"] if previous and previous["score"] == row["score"] else position
        )
        previous = row
    for row in rows[len(ranked) :]:
        row["rank"] = None
    laggards = max(1, math.floor(len(ranked) * LAGGARD_SHARE)) if len(ranked) >= 3 else 0
    cutoff = len(ranked) - laggards + 1
    for row in rows:
        row["laggard"] = bool(laggards) and row["rank"] is not None and row["rank"] >= cutoff
    return rows


def _ranking(units, items, group: str, key_of, now, calendar) -> list[dict]:
    grouped = {
        row[group]: row for row in items.values(group).annotate(**_aggregates(now)).order_by()
    }
    averages = _handling_workdays(items, group, calendar)
    empty = dict.fromkeys(COUNTS, 0)
    rows = []
    for child in units:
        key = key_of(child)
        counts = {name: grouped.get(key, empty)[name] for name in COUNTS}
        rows.append(
            {
                "unit_id": child.pk,
                "name": child.name,
                "kind": child.kind,
                **_figures(counts, averages.get(key)),
            }
        )
    return _rank(rows)


def child_ranking(
    unit: Unit,
    start: datetime.date,
    end: datetime.date,
    *,
    now: datetime.datetime | None = None,
    calendar: workdays.WorkCalendar | None = None,
) -> list[dict]:
    """The figures of each territorial child of `unit`, ranked by score.

    One aggregate query groups the unit's cohort by the child's path prefix; items registered
    at the unit itself belong to no child and appear only in the unit's own figures."""
    now = now or timezone.now()
    calendar = calendar or workdays.WorkCalendar()
    if unit.kind == Unit.Kind.DEPARTMENT:
        return []
    children = list(Unit.objects.filter(parent=unit).territory().order_by("path"))
    if not children:
        return []
    length = (unit.depth + 1) * unit.steplen
    items = cohort(unit, start, end).annotate(branch=Substr("unit__path", 1, length))
    return _ranking(children, items, "branch", lambda c: c.path, now, calendar)


def department_ranking(
    district: Unit,
    start: datetime.date,
    end: datetime.date,
    *,
    now: datetime.datetime | None = None,
    calendar: workdays.WorkCalendar | None = None,
) -> list[dict]:
    """The figures of a district's functional departments (the items handed to each)."""
    if district.kind != Unit.Kind.DISTRICT:
        return []
    now = now or timezone.now()
    calendar = calendar or workdays.WorkCalendar()
    departments = list(Unit.objects.filter(parent=district).departments().order_by("path"))
    if not departments:
        return []
    items = LedgerItem.objects.filter(
        responsible_unit__in=departments,
        received_at__gte=_moment(start),
        received_at__lt=_moment(end),
    ).order_by()
    return _ranking(departments, items, "responsible_unit", lambda d: d.pk, now, calendar)


def drilldown_params(unit: Unit, start: datetime.date, end: datetime.date, figure: str) -> dict:
    """ItemFilter query parameters listing exactly the rows counted in `figure`."""
    return _drilldown(unit.pk, unit.kind, start, end, figure)


def _drilldown(unit_id, kind, start, end, figure) -> dict:
    where = "responsible" if kind == Unit.Kind.DEPARTMENT else "unit"
    return {
        where: str(unit_id),
        "received_from": start.isoformat(),
        "received_to": (end - workdays.ONE_DAY).isoformat(),
        **DRILLDOWN[figure],
    }


def drilldown_url(unit_id: int, kind: str, start, end, figure: str) -> str:
    return (
        f"{reverse('ledger:item-list')}?{urlencode(_drilldown(unit_id, kind, start, end, figure))}"
    )


def drilldown_urls(unit_id: int, kind: str, start, end) -> dict[str, str]:
    """The drill-down link of every count, for a page row."""
    return {name: drilldown_url(unit_id, kind, start, end, name) for name in COUNTS}


PRESETS = ("week", "month", "last_month", "quarter", "year", "custom")
