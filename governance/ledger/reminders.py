"""Reminder kinds of the ledger (registered in GovernanceConfig.ready).

Every sweep finds what is due from the rows themselves, through the partial indexes on the
open items' `warn_at` and `due_at`, so a worker that was down catches up on its next run.
`notifications.deliver` then claims each reminder under its unique constraint (recipient,
kind, subject, day): at most one per subject, kind and day, even with two sweeps at once.

Kinds
- ledger.turning_yellow: open items with warn_at <= now < due_at not yet reminded. The sweep
  claims each item by setting `yellow_reminded_at` (rows locked with SKIP LOCKED, then a
  conditional update), so it goes out once per deadline, not every day; the services clear
  the column when the deadline moves.
- ledger.due_today: open items whose deadline falls on today (the local date of
  due_at - 1µs, as a working-day deadline ends at 24:00) and has not passed yet.
- ledger.overdue: open items past their deadline, every day until they are done.
- ledger.supervised (督办): open items overdue by SHANZHI_ESCALATE_AFTER_WORKDAYS working days
  or more (workdays_between(due date, today)) are marked supervised once through
  services.item_supervise, which claims with a conditional update and records the event; the
  supervising level is told once, when the claim is won.
- ledger.extension_pending: pending extension requests of open items, every day until decided.
- ledger.weekly_review: the day before a community's weekly review (ReviewSchedule, Friday by
  default), how many items its weekly review page lists (received since the earlier of 7 days
  ago and its last weekly meeting, not yet studied or without measures or deadline).

Recipients
- "Staff" of a unit: current memberships at that very unit whose role holds "handle_items"
  (governance.access.CAPABILITIES), of active accounts.
- Item reminders go to the item's handler and the staff of the responsible unit (a
  department's handlers when it has been handed over).
- Supervision and extension requests go to the level above: the staff of the closest
  ancestor of the responsible unit that has any (a community's township, a department's or a
  township's district administrators). Only someone there can approve an extension
  (rules: "above"), and a level without accounts does not swallow the reminder.

Cost: rows are read as plain values in chunks of CHUNK by primary key, each chunk with one
query for its recipients, so a sweep costs a fixed number of queries whatever the number of
items (supervision adds the service's own few queries per item it escalates, once).
"""

import datetime
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Least, Substr, TruncDate
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from governance import workdays
from governance.ledger import services
from governance.models import (
    OPEN_STATUSES,
    ExtensionRequest,
    ExtensionStatus,
    LedgerItem,
    ReviewKind,
    ReviewMeeting,
    ReviewSchedule,
    Unit,
)
from governance.recipients import staff_above, staff_by_unit
from governance.registry import Reminder, ReminderKind
from governance.reminders import sweep_moment

CHUNK = 2000
ONE_DAY = datetime.timedelta(days=1)
WEEKLY_UNIT_KINDS = (Unit.Kind.VILLAGE, Unit.Kind.COMMUNITY)
ITEM_FIELDS = (
    "pk",
    "number",
    "title",
    "due_at",
    "handler_id",
    "handler__is_active",
    "responsible_unit_id",
    "responsible_unit__name",
    "responsible_unit__path",
)


# --- time ------------------------------------------------------------------------------------


def day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def due_date(due_at: datetime.datetime) -> datetime.date:
    """The last day an item is on time: a deadline at 24:00 belongs to the day it ends."""
    return timezone.localtime(due_at - datetime.timedelta(microseconds=1)).date()


def due_text(due_at: datetime.datetime) -> str:
    local = timezone.localtime(due_at)
    if local.time() == datetime.time():
        return due_date(due_at).isoformat()
    return local.strftime("%Y-%m-%d %H:%M")


def supervision_cutoff(today: datetime.date, after: int, calendar) -> datetime.date:
    """The latest due date that is `after` working days overdue on `today`:
    workdays_between(d, today) >= after exactly when d <= the returned day."""
    if after <= 0:
        return today
    day, counted = today, 0
    while True:
        counted += calendar.is_workday(day)
        if counted >= after:
            return day - ONE_DAY
        day -= ONE_DAY


# --- rows and recipients ---------------------------------------------------------------------


def _chunks(queryset, fields: Iterable[str], *, lock: bool = False) -> Iterator[list[dict]]:
    """Rows as dicts, CHUNK at a time by primary key. With lock, the item rows are locked
    (SKIP LOCKED: rows a person is changing right now wait for the next sweep)."""
    last = 0
    while True:
        page = queryset.filter(pk__gt=last).order_by("pk")
        if lock:
            page = page.select_for_update(skip_locked=True, of=("self",))
        rows = list(page.values(*fields)[:CHUNK])
        if rows:
            yield rows
        if len(rows) < CHUNK:
            return
        last = rows[-1]["pk"]


def _unit_staff(today: datetime.date, rows: list[dict]) -> dict[int, list[int]]:
    return staff_by_unit(today, Q(unit_id__in={r["responsible_unit_id"] for r in rows}), "unit_id")


def _item_recipients(row: dict, staff: dict[int, list[int]]) -> list[int]:
    users = list(staff.get(row["responsible_unit_id"], ()))
    if row["handler_id"] and row["handler__is_active"] and row["handler_id"] not in users:
        users.insert(0, row["handler_id"])
    return users


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # the page is not mounted (yet): an inbox entry without a link
        return ""


def _item_url(pk: int) -> str:
    return _url("ledger:item-detail", pk)


def _remind(rows, recipients, title: str, body: str, extra=None) -> Iterator[Reminder]:
    """One reminder per row and recipient; `title` and `body` are %-templates over the row."""
    for row in rows:
        users = recipients(row)
        if not users:
            continue
        values = {
            "number": row["number"],
            "title": row["title"],
            "unit": row["responsible_unit__name"],
            "due": due_text(row["due_at"]) if row.get("due_at") else "",
            **(extra(row) if extra else {}),
        }
        url = _item_url(row["pk"])
        for user in users:
            yield Reminder(
                recipient_id=user,
                subject_type=LedgerItem,
                subject_id=row["pk"],
                title=title % values,
                body=body % values,
                url=url,
            )


# --- the sweeps ------------------------------------------------------------------------------


def turning_yellow(today: datetime.date) -> Iterator[Reminder]:
    now = sweep_moment(today)
    due = LedgerItem.objects.open().filter(
        warn_at__lte=now, due_at__gt=now, yellow_reminded_at__isnull=True
    )
    title = _("%(number)s “%(title)s” is due soon: deadline %(due)s")
    body = _("Most of the time allowed for this item is used. Responsible unit: %(unit)s.")
    for rows in _chunks(due, ITEM_FIELDS, lock=True):
        # The locks make this update ours alone; the sweep's transaction commits the claim
        # together with the notifications, or neither.
        LedgerItem.objects.filter(
            pk__in=[r["pk"] for r in rows], yellow_reminded_at__isnull=True
        ).update(yellow_reminded_at=now)
        staff = _unit_staff(today, rows)
        yield from _remind(rows, lambda r, s=staff: _item_recipients(r, s), title, body)


def due_today(today: datetime.date) -> Iterator[Reminder]:
    now = sweep_moment(today)
    due = LedgerItem.objects.open().filter(
        due_at__gt=max(day_start(today), now), due_at__lte=day_start(today + ONE_DAY)
    )
    title = _("%(number)s “%(title)s” is due today (%(due)s)")
    body = _("Resolve it or request an extension today. Responsible unit: %(unit)s.")
    for rows in _chunks(due, ITEM_FIELDS):
        staff = _unit_staff(today, rows)
        yield from _remind(rows, lambda r, s=staff: _item_recipients(r, s), title, body)


def overdue(today: datetime.date) -> Iterator[Reminder]:
    now = sweep_moment(today)
    title = _("%(number)s “%(title)s” is overdue since %(due)s")
    body = _("The deadline has passed. Responsible unit: %(unit)s.")
    for rows in _chunks(LedgerItem.objects.overdue(now), ITEM_FIELDS):
        staff = _unit_staff(today, rows)
        yield from _remind(rows, lambda r, s=staff: _item_recipients(r, s), title, body)


def supervised(today: datetime.date) -> Iterator[Reminder]:
    now = sweep_moment(today)
    after = settings.SHANZHI_ESCALATE_AFTER_WORKDAYS
    calendar = workdays.WorkCalendar()
    cutoff = day_start(supervision_cutoff(today, after, calendar) + ONE_DAY)
    late = LedgerItem.objects.open().filter(
        due_at__lte=cutoff, due_at__lt=now, supervised_at__isnull=True
    )
    title = _("Supervision: %(number)s “%(title)s” is %(days)s working days overdue")
    body = _("The deadline was %(due)s. %(unit)s is responsible; as the level above, follow it up.")
    for rows in _chunks(late, ITEM_FIELDS):
        won = []
        for row in rows:
            days = workdays.workdays_between(due_date(row["due_at"]), today, calendar=calendar)
            if days >= after and services.item_supervise(
                item_id=row["pk"], now=now, overdue_days=days
            ):
                won.append({**row, "days": days})
        if not won:
            continue
        above = staff_above(today, {r["responsible_unit__path"] for r in won})
        yield from _remind(
            won,
            lambda r, a=above: a[r["responsible_unit__path"]],
            title,
            body,
            extra=lambda r: {"days": r["days"]},
        )


def extension_pending(today: datetime.date) -> Iterator[Reminder]:
    pending = ExtensionRequest.objects.filter(
        status=ExtensionStatus.PENDING, item__status__in=OPEN_STATUSES
    )
    fields = (
        "pk",
        "item_id",
        "reason",
        "requested_due_at",
        "item__number",
        "item__title",
        "item__due_at",
        "item__responsible_unit__name",
        "item__responsible_unit__path",
    )
    title = _("Extension requested for %(number)s “%(title)s”: awaiting your decision")
    body = _("%(unit)s asks to move the deadline from %(due)s to %(requested)s. Reason: %(reason)s")
    for rows in _chunks(pending, fields):
        above = staff_above(today, {r["item__responsible_unit__path"] for r in rows})
        for row in rows:
            values = {
                "number": row["item__number"],
                "title": row["item__title"],
                "unit": row["item__responsible_unit__name"],
                "due": due_text(row["item__due_at"]) if row["item__due_at"] else "",
                "requested": due_text(row["requested_due_at"]),
                "reason": row["reason"],
            }

            url = _item_url(row["item_id"])
            for user in above[row["item__responsible_unit__path"]]:
                yield Reminder(
                    user, ExtensionRequest, row["pk"], title % values, body % values, url
                )


def weekly_review(today: datetime.date) -> Iterator[Reminder]:
    """The count is that of the weekly review page's agenda (governance.ledger.reviews
    .weekly_agenda, from weekly_since): open items that arose in the community and that it
    handles itself, received since the earlier of seven days ago and its last weekly meeting,
    not yet studied or still without measures or deadline. Here for every community meeting
    tomorrow at once."""
    meeting_day = (today.weekday() + 1) % 7
    default_day = ReviewSchedule._meta.get_field("weekday").default
    community = Substr("responsible_unit__path", 1, 3 * Unit.steplen)
    week_ago = today - datetime.timedelta(days=7)
    last_meeting = ReviewMeeting.objects.filter(
        unit__path=OuterRef("community"), kind=ReviewKind.WEEKLY
    ).order_by("-held_on")
    schedule = ReviewSchedule.objects.filter(unit__path=OuterRef("community"))
    waiting = (
        LedgerItem.objects.open()
        .filter(responsible_unit__depth__gte=3, responsible_unit__kind__in=WEEKLY_UNIT_KINDS)
        .filter(Q(reviewed_at__isnull=True) | Q(measures="") | Q(due_at__isnull=True))
        .annotate(
            community=community,
            meets=Coalesce(Subquery(schedule.values("weekday")[:1]), Value(default_day)),
            since=Least(
                Value(week_ago),
                Coalesce(Subquery(last_meeting.values("held_on")[:1]), Value(week_ago)),
            ),
            received_on=TruncDate("received_at"),
        )
        .filter(
            meets=meeting_day,
            unit__path__startswith=F("community"),
            received_on__gte=F("since"),
        )
        .values("community")
        .annotate(count=Count("pk"))
        .order_by("community")
    )
    counts = {row["community"]: row["count"] for row in waiting}
    if not counts:
        return
    units = {
        path: (pk, name)
        for pk, path, name in Unit.objects.filter(
            path__in=list(counts), kind__in=WEEKLY_UNIT_KINDS
        ).values_list("pk", "path", "name")
    }
    staff = staff_by_unit(today, Q(unit_id__in=[pk for pk, _name in units.values()]))
    body = _("Items received since the last weekly review that still need studying.")
    for path, count in counts.items():
        if path not in units:
            continue
        unit_id, name = units[path]
        title = ngettext(
            "Weekly review tomorrow: %(count)d item of %(unit)s still needs measures and a "
            "deadline",
            "Weekly review tomorrow: %(count)d items of %(unit)s still need measures and a "
            "deadline",
            count,
        ) % {"count": count, "unit": name}
        url = _url("ledger:weekly-review", unit_id)
        for user in staff.get(unit_id, ()):
            yield Reminder(user, Unit, unit_id, title, body, url)


TURNING_YELLOW = ReminderKind(
    "ledger.turning_yellow", gettext_lazy("Item turning yellow"), turning_yellow
)
DUE_TODAY = ReminderKind("ledger.due_today", gettext_lazy("Item due today"), due_today)
OVERDUE = ReminderKind("ledger.overdue", gettext_lazy("Item overdue"), overdue)
SUPERVISED = ReminderKind("ledger.supervised", gettext_lazy("Item supervised (督办)"), supervised)
EXTENSION_PENDING = ReminderKind(
    "ledger.extension_pending",
    gettext_lazy("Extension request awaiting a decision"),
    extension_pending,
)
WEEKLY_REVIEW = ReminderKind(
    "ledger.weekly_review", gettext_lazy("Items awaiting the weekly review"), weekly_review
)

KINDS = [TURNING_YELLOW, DUE_TODAY, OVERDUE, SUPERVISED, EXTENSION_PENDING, WEEKLY_REVIEW]
