"""Reminder kinds of the economy (registered in EconomyConfig.ready), delivered through
governance.notifications: claimed under (recipient, kind, subject, day), so at most once per
subject, kind and day even with two sweeps at once; a sweep that did not run catches up on the
next, as long as the reminder is still due then (overdue ones are due every day until done).

Kinds
- economy.milestone_due: a leaf milestone not done, of a project neither completed nor
  suspended, due within DUE_WITHIN_DAYS calendar days (today included). Subject: the milestone.
- economy.milestone_overdue: the same milestone past its due date. Subject: the milestone.
- economy.measure_due: an income measure planned or in progress whose deadline falls within
  DUE_WITHIN_DAYS days. Subject: the measure.
- economy.measure_overdue: an open measure past its deadline (shown red). Subject: the measure.

Recipients
- Milestones: current members of the project's owning unit whose role holds handle_items
  (the township's staff; the district's for a district project), active accounts.
- Measures: current members with handle_items at the township above the village, and the
  measure's owner when they have an active account.

Cost: one query for the due rows and one for the recipients per kind, whatever their number.
"""

import datetime
from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from economy.models import HUNDRED, OPEN_MEASURE, IncomeMeasure, Milestone, ProjectStatus
from governance.recipients import staff_of
from governance.registry import Reminder, ReminderKind

DUE_WITHIN_DAYS = 3


def _leaf_milestones(condition: Q):
    return (
        Milestone.objects.filter(condition, progress__lt=HUNDRED, children__isnull=True)
        .exclude(project__status__in=(ProjectStatus.COMPLETED, ProjectStatus.SUSPENDED))
        .values("pk", "name", "due_on", "project_id", "project__name", "project__owner_unit_id")
        .order_by("due_on", "pk")
    )


def _milestones(rows, today, title_text) -> Iterator[Reminder]:
    rows = list(rows)
    staff = staff_of(today, {r["project__owner_unit_id"] for r in rows})
    for row in rows:
        values = {
            "name": row["name"],
            "project": row["project__name"],
            "due": row["due_on"].isoformat(),
            "days": (today - row["due_on"]).days,
        }
        title = title_text % values
        url = reverse("economy:project-detail", args=[row["project_id"]])
        for user in staff.get(row["project__owner_unit_id"], ()):
            yield Reminder(user, Milestone, row["pk"], title, "", url)


def milestone_due(today: datetime.date) -> Iterator[Reminder]:
    last = today + datetime.timedelta(days=DUE_WITHIN_DAYS - 1)
    rows = _leaf_milestones(Q(due_on__gte=today, due_on__lte=last))
    yield from _milestones(rows, today, _("Milestone due on %(due)s: %(name)s (%(project)s)"))


def milestone_overdue(today: datetime.date) -> Iterator[Reminder]:
    rows = _leaf_milestones(Q(due_on__lt=today))
    yield from _milestones(
        rows, today, _("Milestone overdue since %(due)s: %(name)s (%(project)s)")
    )


def _measures(condition: Q, today, title_text) -> Iterator[Reminder]:
    rows = list(
        IncomeMeasure.objects.filter(condition, status__in=OPEN_MEASURE)
        .values(
            "pk",
            "title",
            "deadline",
            "owner_id",
            "owner__is_active",
            "village__name",
            "village__parent_id",
            "village_id",
        )
        .order_by("deadline", "pk")
    )
    staff = staff_of(today, {r["village__parent_id"] for r in rows})
    for row in rows:
        title = title_text % {
            "title": row["title"],
            "village": row["village__name"],
            "due": row["deadline"].isoformat(),
        }
        url = reverse("economy:village-detail", args=[row["village_id"]])
        users = list(staff.get(row["village__parent_id"], ()))
        if row["owner_id"] and row["owner__is_active"] and row["owner_id"] not in users:
            users.append(row["owner_id"])
        for user in users:
            yield Reminder(user, IncomeMeasure, row["pk"], title, "", url)


def measure_due(today: datetime.date) -> Iterator[Reminder]:
    last = today + datetime.timedelta(days=DUE_WITHIN_DAYS - 1)
    yield from _measures(
        Q(deadline__gte=today, deadline__lte=last),
        today,
        _("Income measure due on %(due)s: %(title)s (%(village)s)"),
    )


def measure_overdue(today: datetime.date) -> Iterator[Reminder]:
    yield from _measures(
        Q(deadline__lt=today),
        today,
        _("Income measure overdue since %(due)s: %(title)s (%(village)s)"),
    )


MILESTONE_DUE = ReminderKind(
    "economy.milestone_due", gettext_lazy("Project milestone due"), milestone_due
)
MILESTONE_OVERDUE = ReminderKind(
    "economy.milestone_overdue", gettext_lazy("Project milestone overdue"), milestone_overdue
)
MEASURE_DUE = ReminderKind("economy.measure_due", gettext_lazy("Income measure due"), measure_due)
MEASURE_OVERDUE = ReminderKind(
    "economy.measure_overdue", gettext_lazy("Income measure overdue"), measure_overdue
)
KINDS = [MILESTONE_DUE, MILESTONE_OVERDUE, MEASURE_DUE, MEASURE_OVERDUE]
