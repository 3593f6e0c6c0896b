"""What a dashboard section is: the contract every area of the dashboard (ledger, visits, contact
work, reception days, venues, collective economy, people) follows.

A section declares its figures and computes, for one unit and one period, plain JSON-ready data:

- the unit's headline value of each figure, and the previous period's where it compares;
- the same figures for each territorial child of the unit (the rankings), one row per child,
  children without data included with zeros;
- a drill-down link for every number: the app's own list page filtered so that it shows exactly
  that many rows (a sum such as people reached links to the rows it adds up);
- what needs attention in the unit (overdue items by age, duties behind…), each with a count and
  the list of exactly those rows;
- optionally trends: a value per week or month for the main figures.

Rules a section keeps (tests check them):
- a fixed number of queries whatever the number of rows and children: count per child with one
  grouped query (`branch()` below), never one query per child;
- the figures are the app's own definitions (reuse its figure module's querysets and
  conditions), so the dashboard shows the number the app's own pages show;
- figures are computed for the unit's whole subtree without a user: a unit in a user's scope has
  its subtree in scope too, so one computation serves every user allowed to open it (the
  dashboard view checks the unit against the user's scope before anything is shown);
- values are int, float (rates 0..1), str (decimal amounts, exact) or None (no denominator).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import F, Value
from django.db.models.functions import Substr
from django.utils import timezone

from governance.models import Unit
from governance.periods import Period

COUNT, RATE, AMOUNT, SUM = "count", "rate", "amount", "sum"


@dataclass(frozen=True)
class Figure:
    key: str  # unique within its section, e.g. "collected"
    label: str  # gettext_lazy
    kind: str = COUNT  # count | rate | amount (yuan, exact decimal string) | sum (people, hours)
    #: The figure is a state now (overdue, duties behind, coverage this round): no previous value.
    current: bool = False
    #: For the rankings' laggards: a high value is bad (overdue items, duties behind).
    lower_is_better: bool = False
    #: Shown on the big screen and in the headline strip.
    headline: bool = True
    help: str = ""

    @property
    def judged(self) -> bool:
        """Are the units lowest on this figure behind? Rates and figures where less is better
        judge performance; plain counts (households, items collected) mostly follow a unit's
        size, so the rankings order by them without marking anyone behind."""
        return self.kind == RATE or self.lower_is_better


@dataclass
class Context:
    """What a section computes for: the unit, its territorial children (ordered by path), the
    period and the previous one (None when not compared), and `now`/`today` for state figures."""

    unit: Unit
    children: list[Unit]
    period: Period
    previous: Period | None
    now: datetime.datetime = field(default_factory=timezone.now)

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.now)

    @property
    def branch_length(self) -> int:
        """Length of a child's path: `path[:branch_length]` names the child a row falls under."""
        return (self.unit.depth + 1) * self.unit.steplen

    def branch(self, path_field: str = "unit__path"):
        """An expression giving, for a row, the path of the unit's child it lies under (rows at
        the unit itself get a shorter path that matches no child). Use it with values()/annotate
        to count per child in one query."""
        return Substr(
            F(path_field) if isinstance(path_field, str) else path_field,
            1,
            Value(self.branch_length),
        )

    def child_of(self, path: str | None) -> Unit | None:
        if not path:
            return None
        return self._by_path.get(path[: self.branch_length])

    def __post_init__(self):
        self._by_path = {child.path: child for child in self.children}


@dataclass
class Attention:
    """Something in the unit that needs a leader's attention (an empty count is left out)."""

    label: str
    count: int
    url: str
    level: str = "red"  # red | yellow

    def as_dict(self) -> dict:
        return {"label": str(self.label), "count": self.count, "url": self.url, "level": self.level}


@dataclass
class Result:
    """A section's data for one unit and period (see the module docstring).

    values / previous / links: figure key → value / previous value / drill-down URL.
    children: one dict per child of Context.children, in that order:
        {"unit_id", "name", "values": {key: value}, "links": {key: url}}
    attention: Attention rows. trend: {"week"|"month": {"labels": [...], "series": {key: [...]}}}
    """

    values: dict
    links: dict
    previous: dict = field(default_factory=dict)
    children: list[dict] = field(default_factory=list)
    attention: list[Attention] = field(default_factory=list)
    trend: dict = field(default_factory=dict)
    note: str = ""  # e.g. "coverage of the round 1–31 December"

    def as_dict(self) -> dict:
        return {
            "values": self.values,
            "previous": self.previous,
            "links": self.links,
            "children": self.children,
            "attention": [a.as_dict() for a in self.attention if a.count],
            "trend": self.trend,
            "note": str(self.note),
        }


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    figures: tuple[Figure, ...]
    compute: Callable[[Context], Result]
    order: int = 100
    #: The app page giving the section's full picture (a URL name taking ?unit=).
    page: str = ""
    #: Trend series shown as charts: figure keys (a subset of `figures`).
    trend_figures: tuple[str, ...] = ()
    #: Shown on a functional department's dashboard too (only the ledger is about departments:
    #: the items handed to them; every other area is territorial).
    for_departments: bool = False

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


def child_row(child: Unit, values: dict, links: dict) -> dict:
    return {"unit_id": child.pk, "name": child.name, "values": values, "links": links}


def moment(day: datetime.date) -> datetime.datetime:
    """Local midnight of `day`, aware (the start of a period day)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def month_starts(end: datetime.date, count: int = 12) -> list[datetime.date]:
    """The first days of the `count` months ending with the month of `end - 1 day`, oldest first."""
    last = end - datetime.timedelta(days=1)
    index = last.year * 12 + last.month - 1
    return [
        datetime.date((index - n) // 12, (index - n) % 12 + 1, 1) for n in range(count - 1, -1, -1)
    ]


def week_starts(end: datetime.date, count: int = 12) -> list[datetime.date]:
    """The Mondays of the `count` weeks ending with the week of `end - 1 day`, oldest first."""
    last = end - datetime.timedelta(days=1)
    monday = last - datetime.timedelta(days=last.weekday())
    return [monday - datetime.timedelta(weeks=n) for n in range(count - 1, -1, -1)]


def bucket_of(day: datetime.date, starts: list[datetime.date]) -> int | None:
    """Index of the bucket (week or month starting at starts[i]) holding `day`."""
    position = None
    for i, start in enumerate(starts):
        if day >= start:
            position = i
    return position


def trend_start(end: datetime.date) -> datetime.date:
    """The first day a trend ending at `end` covers (12 months and 12 weeks back)."""
    return min(month_starts(end)[0], week_starts(end)[0])


def trend(rows, day: str, keys: tuple[str, ...], end: datetime.date, *, weeks=True) -> dict:
    """Rows counted per day (`row[day]` a date, `row[key]` a number) added up into the 12 months
    and 12 weeks ending with the period: {"month"|"week": {"labels": [...], "series": {...}}}."""
    rows = list(rows)
    grains = [("month", month_starts(end), lambda d: f"{d.year}-{d.month:02d}")]
    if weeks:
        grains.append(("week", week_starts(end), lambda d: f"{d.month}/{d.day}"))
    result = {}
    for name, starts, label in grains:
        series = {key: [0] * len(starts) for key in keys}
        for row in rows:
            index = bucket_of(row[day], starts)
            if index is not None:
                for key in keys:
                    series[key][index] += row[key] or 0
        result[name] = {"labels": [label(d) for d in starts], "series": series}
    return result
