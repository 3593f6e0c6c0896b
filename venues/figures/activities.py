"""Figures of activities per unit and period ("220+ neighbourhood markets, 60,000+ person-times").

Definitions
- An activity counts for a unit when its venue's unit lies in the unit's subtree, and for a
  period [start, end] (local dates, both included) when it starts on one of those days.
- Cancelled activities are not counted.
- person_times: the sum of the attendance recorded after the event (Activity.attendance); an
  activity without attendance yet adds nothing and is counted in `without_attendance`.
- Each row's `activities` equals the length of the activity list it drills down to
  (`drilldown_query`: the same unit, period, category and held=1).

Cost: one grouped query, whatever the number of activities; the category names come from the
same query.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum

from governance.models import Unit
from venues.models import Activity


@dataclass
class CategoryFigures:
    category_id: int
    category: str
    activities: int
    person_times: int
    without_attendance: int
    query: str = ""


@dataclass
class ActivityFigures:
    unit: Unit
    start: datetime.date
    end: datetime.date
    rows: list[CategoryFigures] = field(default_factory=list)

    @property
    def activities(self) -> int:
        return sum(r.activities for r in self.rows)

    @property
    def person_times(self) -> int:
        return sum(r.person_times for r in self.rows)

    @property
    def without_attendance(self) -> int:
        return sum(r.without_attendance for r in self.rows)

    @property
    def query(self) -> str:
        return drilldown_query(self.unit, self.start, self.end)


def drilldown_query(unit, start, end, category_id=None) -> str:
    params = {"unit": unit.pk, "from": start.isoformat(), "to": end.isoformat(), "held": "1"}
    if category_id:
        params["category"] = category_id
    return urlencode(params)


def held_in(unit: Unit, start: datetime.date, end: datetime.date, user=None):
    """The activities the figures count (and the drill-down lists)."""
    queryset = Activity.objects.all() if user is None else Activity.objects.for_user(user)
    return queryset.within(unit).held().between(start, end)


def figures(unit: Unit, start: datetime.date, end: datetime.date, *, user=None) -> ActivityFigures:
    rows = (
        held_in(unit, start, end, user)
        .values("category_id", "category__name", "category__order")
        .annotate(
            n=Count("pk"),
            people=Sum("attendance"),
            missing=Count("pk", filter=Q(attendance__isnull=True)),
        )
        .order_by("category__order", "category__name")
    )
    result = ActivityFigures(unit=unit, start=start, end=end)
    for row in rows:
        result.rows.append(
            CategoryFigures(
                category_id=row["category_id"],
                category=row["category__name"],
                activities=row["n"],
                person_times=row["people"] or 0,
                without_attendance=row["missing"],
                query=drilldown_query(unit, start, end, row["category_id"]),
            )
        )
    return result
