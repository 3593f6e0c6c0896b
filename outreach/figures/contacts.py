"""Figures of contact activities and liaison duties per unit and period, defined once.

`figures(unit, start, end, user=None)` (end exclusive) counts, in the unit's subtree:
- activities: contact activities held on start … end − 1 whose covered unit is in the subtree,
  in total and per contact system; drill-down: the activity list with unit/from/to(/system).
- people reached: the sum of their `people_reached`.
- problems raised: ledger items raised in those activities (ActivityProblem; whatever
  happened to them since); replied: those with a reply (`replied_at` set); solved: those
  resolved, verified or closed (governance DONE_STATUSES). Drill-down: the activity problem
  list with the same unit/from/to and state=raised|replied|solved.
- duties behind: current duties in the subtree whose status today is "behind"
  (outreach.figures.duties); drill-down: the duty matrix with status=behind.
With `user`, every count is limited to that user's scope as well. Five queries.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils import timezone

from governance.models import DONE_STATUSES, LedgerItem, Unit
from outreach.figures.duties import DutyStatus, duty_rows
from outreach.models import ContactActivity, ContactSystem, LiaisonDuty


@dataclass
class ActivityFigures:
    unit: Unit
    start: datetime.date
    end: datetime.date
    activities: int = 0
    by_system: dict[str, int] = field(default_factory=dict)
    people_reached: int = 0
    problems: int = 0
    replied: int = 0
    solved: int = 0
    duties: int = 0
    duties_behind: int = 0


def activities_in(unit: Unit, start, end, user=None):
    qs = ContactActivity.objects.within(unit).held_between(start, end)
    return qs.for_user(user) if user is not None else qs


def problems_in(unit: Unit, start, end, user=None, state: str = "raised"):
    """Ledger items raised in the unit's activities of the period (the figures' drill-down)."""
    items = LedgerItem.objects.filter(
        contact_activity_link__activity__in=activities_in(unit, start, end, user).values("pk")
    )
    if state == "replied":
        items = items.filter(replied_at__isnull=False)
    elif state == "solved":
        items = items.filter(status__in=DONE_STATUSES)
    return items


def current_duties(unit: Unit, user=None, today=None):
    today = today or timezone.localdate()
    qs = LiaisonDuty.objects.within(unit).current(today)
    return qs.for_user(user) if user is not None else qs


def figures(unit: Unit, start, end, user=None, today=None) -> ActivityFigures:
    today = today or timezone.localdate()
    data = ActivityFigures(unit=unit, start=start, end=end)
    rows = (
        activities_in(unit, start, end, user)
        .values("system")
        .order_by("system")
        .annotate(n=Count("pk"), reached=Sum("people_reached"))
    )
    data.by_system = {system: 0 for system in ContactSystem.values}
    for row in rows:
        data.by_system[row["system"]] = row["n"]
        data.activities += row["n"]
        data.people_reached += row["reached"] or 0
    counts = problems_in(unit, start, end, user).aggregate(
        problems=Count("pk"),
        replied=Count("pk", filter=Q(replied_at__isnull=False)),
        solved=Count("pk", filter=Q(status__in=DONE_STATUSES)),
    )
    data.problems, data.replied, data.solved = (
        counts["problems"],
        counts["replied"],
        counts["solved"],
    )
    statuses = duty_rows(current_duties(unit, user, today), today, light=True)
    data.duties = len(statuses)
    data.duties_behind = sum(r.status == DutyStatus.BEHIND for r in statuses)
    return data
