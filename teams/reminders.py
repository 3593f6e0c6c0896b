"""Reminder kinds of the teams app (registered in TeamsConfig.ready).

Each sweep computes from the rows what is due on `today`; governance.notifications.deliver
claims each reminder under (recipient, kind, subject, day), so at most one per subject, kind
and day even with two sweeps at once, and a beat that was down catches up on its next run.

Recipients: the township staff (role township_staff, current membership, active account) of
the township concerned.

Kinds
- teams.reserve_shortfall: a township with villages or communities below the district's
  minimum of reserve cadres; its staff get the list. At most once a week per township and
  recipient: the sweep skips a recipient already told in the previous six days, so the first
  run after a gap sends it. Subject: the township.
- teams.scores_due: from the 1st to the district's due day (TeamsPolicy.score_due_day) of a
  month, a township whose communities have active workers without a score for the previous
  month; its staff get the communities and counts. Subject: the township.
- teams.secondment_overdue: every day while a worker is not back after the planned end of a
  secondment; the staff of the worker's township are told. Subject: the secondment.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterator

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from governance.models import Notification, Role, Unit
from governance.recipients import staff_of
from governance.registry import Reminder, ReminderKind
from teams import rules
from teams.models import CommunityWorker, MonthlyScore, ReserveCadre, Secondment

TOWNSHIP_DEPTH = 2
SHORTFALL_EVERY_DAYS = 7


def _townships_of(paths) -> dict[str, Unit]:
    prefixes = {p[: TOWNSHIP_DEPTH * Unit.steplen] for p in paths}
    return {u.path: u for u in Unit.objects.filter(path__in=prefixes, depth=TOWNSHIP_DEPTH)}


def reserve_shortfall(today: datetime.date) -> Iterator[Reminder]:
    policies = rules.policies_by_district_path()
    counts = dict(
        ReserveCadre.objects.active().values_list("village_id").annotate(n=Count("pk")).order_by()
    )
    villages = Unit.objects.filter(kind__in=Unit.KINDS_BY_LEVEL[3], is_active=True).values_list(
        "pk", "path", "name"
    )
    below = defaultdict(list)
    for pk, path, name in villages.iterator(chunk_size=5000):
        minimum = rules.policy_from(policies, path).reserve_minimum
        have = counts.get(pk, 0)
        if have < minimum:
            below[path[: TOWNSHIP_DEPTH * Unit.steplen]].append((name, have, minimum))
    if not below:
        return
    townships = _townships_of(below)
    staff = staff_of(today, [t.pk for t in townships.values()], roles=(Role.TOWNSHIP_STAFF,))
    unit_type = ContentType.objects.get_for_model(Unit)
    recent = set(
        Notification.objects.filter(
            kind=REMINDER_SHORTFALL,
            subject_type=unit_type,
            day__gt=today - datetime.timedelta(days=SHORTFALL_EVERY_DAYS),
            day__lt=today,
        ).values_list("recipient_id", "subject_id")
    )
    for path, rows in sorted(below.items()):
        township = townships.get(path)
        if township is None:
            continue
        title = ngettext(
            "%(count)d village of %(township)s has too few reserve cadres",
            "%(count)d villages of %(township)s have too few reserve cadres",
            len(rows),
        ) % {"count": len(rows), "township": township.name}
        body = "\n".join(
            _("%(village)s: %(have)d of %(minimum)d") % {"village": n, "have": h, "minimum": m}
            for n, h, m in rows
        )
        url = reverse("teams:reserve-shortfall") + f"?unit={township.pk}"
        for user in staff.get(township.pk, ()):
            if (user, township.pk) in recent:
                continue
            yield Reminder.about(user, township, title, body, url)


def scores_due(today: datetime.date) -> Iterator[Reminder]:
    month = rules.add_months(rules.month_start(today), -1)
    policies = rules.policies_by_district_path()
    scored = MonthlyScore.objects.filter(month=month).values("worker_id")
    missing = defaultdict(lambda: defaultdict(int))
    for path, name in (
        CommunityWorker.objects.active()
        .filter(started_on__lt=rules.add_months(month, 1))
        .exclude(pk__in=scored)
        .values_list("community__path", "community__name")
        .iterator(chunk_size=5000)
    ):
        if today.day > rules.policy_from(policies, path).score_due_day:
            continue
        missing[path[: TOWNSHIP_DEPTH * Unit.steplen]][name] += 1
    if not missing:
        return
    townships = _townships_of(missing)
    staff = staff_of(today, [t.pk for t in townships.values()], roles=(Role.TOWNSHIP_STAFF,))
    for path, communities in sorted(missing.items()):
        township = townships.get(path)
        if township is None:
            continue
        workers = sum(communities.values())
        title = ngettext(
            "%(count)d community worker of %(township)s not yet scored for %(month)s",
            "%(count)d community workers of %(township)s not yet scored for %(month)s",
            workers,
        ) % {"count": workers, "township": township.name, "month": f"{month:%Y-%m}"}
        body = "\n".join(
            _("%(community)s: %(count)d") % {"community": c, "count": n}
            for c, n in sorted(communities.items())
        )
        url = reverse("teams:quarters") + f"?unit={township.pk}"
        for user in staff.get(township.pk, ()):
            yield Reminder.about(user, township, title, body, url)


def secondment_overdue(today: datetime.date) -> Iterator[Reminder]:
    overdue = list(
        Secondment.objects.overdue(today)
        .select_related("worker__person", "worker__community")
        .order_by("pk")
    )
    if not overdue:
        return
    townships = _townships_of(s.worker.community.path for s in overdue)
    staff = staff_of(today, [t.pk for t in townships.values()], roles=(Role.TOWNSHIP_STAFF,))
    for s in overdue:
        township = townships.get(s.worker.community.path[: TOWNSHIP_DEPTH * Unit.steplen])
        if township is None:
            continue
        values = {
            "name": s.worker.person.name,
            "community": s.worker.community.name,
            "office": s.to_office,
            "end": f"{s.planned_end_on:%Y-%m-%d}",
        }
        title = _("Secondment overdue: %(name)s (%(community)s) at %(office)s") % values
        body = _("The secondment was to end on %(end)s; record the return or extend it.") % values
        url = reverse("teams:secondment-edit", args=[s.pk])
        for user in staff.get(township.pk, ()):
            yield Reminder.about(user, s, title, body, url)


REMINDER_SHORTFALL = "teams.reserve_shortfall"
KINDS = [
    ReminderKind(
        REMINDER_SHORTFALL,
        gettext_lazy("Villages below the reserve cadre minimum"),
        reserve_shortfall,
    ),
    ReminderKind("teams.scores_due", gettext_lazy("Monthly scores due"), scores_due),
    ReminderKind(
        "teams.secondment_overdue", gettext_lazy("Secondment overdue"), secondment_overdue
    ),
]
