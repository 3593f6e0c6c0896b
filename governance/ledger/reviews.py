"""The two meetings the documents describe: selectors for their agendas and services that
record them.

- Weekly community review (社区党组织每周研究): a village or community studies its new items
  and sets measures, a deadline and a handler for each (services.item_plan(reviewed=True)).
  Its agenda: the open items that arose in the community, that the community handles itself,
  received since the earlier of seven days ago and the day of its last weekly meeting, and not
  yet studied (no `reviewed_at`) or still without measures or deadline.
- Monthly street review (街道党工委会议固定议题): the township/street Party committee goes
  through every unresolved item of its area each month, overdue ones first. Its agenda: the
  items open now that arose in the township, plus those already decided on at a meeting of that
  month (so the record stays readable after they are resolved), grouped by village/community.

Recording a meeting writes the ReviewMeeting, one ReviewDecision per item and one "studied at a
review meeting" event in each item's history.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import access, workdays
from governance.ledger import figures
from governance.models import (
    OPEN_STATUSES,
    AuditEvent,
    EventAction,
    LedgerEvent,
    LedgerItem,
    Membership,
    ReviewDecision,
    ReviewKind,
    ReviewMeeting,
    ReviewSchedule,
    Unit,
)

WEEKLY_KINDS = (Unit.Kind.COMMUNITY, Unit.Kind.VILLAGE)
MONTHLY_KINDS = (Unit.Kind.TOWNSHIP, Unit.Kind.STREET, Unit.Kind.DISTRICT)
WEEK = datetime.timedelta(days=7)


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def due_day(due_at: datetime.datetime | None) -> datetime.date | None:
    """The last day of a deadline (a working-day deadline is stored as 00:00 of the next day)."""
    if due_at is None:
        return None
    return timezone.localtime(due_at - datetime.timedelta(microseconds=1)).date()


# Weekly review -----------------------------------------------------------------------------


def weekly_since(unit: Unit, today: datetime.date) -> datetime.date:
    """The first day the weekly agenda looks at: seven days ago, or the day of the last weekly
    meeting when that was longer ago (a missed meeting leaves nothing behind)."""
    last = (
        ReviewMeeting.objects.filter(unit=unit, kind=ReviewKind.WEEKLY)
        .order_by("-held_on")
        .values_list("held_on", flat=True)
        .first()
    )
    week_ago = today - WEEK
    return min(week_ago, last) if last else week_ago


def _community_items(unit: Unit):
    # Items the community itself handles: a department's or the township's are not its to plan.
    return LedgerItem.objects.filter(
        unit__path__startswith=unit.path, responsible_unit__path__startswith=unit.path
    )


def weekly_agenda(unit: Unit, since: datetime.date):
    return (
        _community_items(unit)
        .filter(status__in=OPEN_STATUSES, received_at__gte=_start_of(since))
        .filter(Q(reviewed_at__isnull=True) | Q(measures="") | Q(due_at__isnull=True))
        .select_related("unit", "category", "handler")
        .order_by("received_at", "pk")
    )


def weekly_studied(unit: Unit, since: datetime.date):
    """Items studied since `since` that no weekly meeting of the unit has recorded yet."""
    recorded = ReviewDecision.objects.filter(
        item=OuterRef("pk"), meeting__unit=unit, meeting__kind=ReviewKind.WEEKLY
    )
    return (
        _community_items(unit)
        .filter(reviewed_at__gte=_start_of(since))
        .filter(~Exists(recorded))
        .order_by("reviewed_at", "pk")
    )


def handlers_at(unit: Unit) -> list:
    """Accounts that handle items at the unit itself (secretary and cadres), for the form."""
    roles = [role for role, caps in access.CAPABILITIES.items() if "handle_items" in caps]
    held = Membership.objects.current(timezone.localdate()).filter(unit=unit, role__in=roles)
    return list(
        get_user_model()
        .objects.filter(memberships__in=held)
        .select_related("person")
        .distinct()
        .order_by("username")
    )


@transaction.atomic
def review_schedule_set(*, unit: Unit, weekday: int, actor) -> ReviewSchedule:
    """The weekday the community holds its weekly review (reminders go out the day before)."""
    if unit.kind not in WEEKLY_KINDS:
        raise ValidationError(_("Only a village or community holds a weekly review."))
    access.require(actor, "handle_items", unit)
    if weekday not in range(7):
        raise ValidationError(_("Choose a weekday."))
    schedule, _created = ReviewSchedule.objects.update_or_create(
        unit=unit, defaults={"weekday": weekday}
    )
    return schedule


# Monthly review ----------------------------------------------------------------------------


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = month.replace(day=1)
    return start, figures.month_start(start, 1)


def monthly_decisions(unit: Unit, month: datetime.date) -> list[ReviewDecision]:
    start, end = month_bounds(month)
    return list(
        ReviewDecision.objects.filter(
            meeting__unit=unit,
            meeting__kind=ReviewKind.MONTHLY,
            meeting__held_on__gte=start,
            meeting__held_on__lt=end,
        )
        .select_related("meeting")
        .order_by("meeting__held_on", "meeting__pk")
    )


def monthly_agenda(
    unit: Unit,
    month: datetime.date,
    *,
    now: datetime.datetime | None = None,
    decided_ids=(),
    calendar: workdays.WorkCalendar | None = None,
) -> dict:
    """The agenda of `unit`'s monthly review: groups of items per child unit.

    The current month (and a later one) lists every item open now; an earlier month lists
    only what its meetings decided on. Overdue items come first in each group."""
    now = now or timezone.now()
    calendar = calendar or workdays.WorkCalendar()
    today = timezone.localdate(now)
    start, end = month_bounds(month)
    live = end > today
    length = (unit.depth + 1) * unit.steplen
    wanted = Q(pk__in=list(decided_ids))
    if live:
        wanted |= Q(status__in=OPEN_STATUSES)
    items = list(
        LedgerItem.objects.filter(unit__path__startswith=unit.path)
        .filter(wanted)
        .annotate(
            branch=Substr("unit__path", 1, length),
            late=Case(
                When(figures.overdue(now), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .select_related("unit", "responsible_unit", "handler__person", "category")
        .order_by("branch", "-late", F("due_at").asc(nulls_last=True), "received_at", "pk")
    )
    children = {child.path: child for child in Unit.objects.filter(parent=unit).order_by("path")}
    groups: dict[str, dict] = {}
    for item in items:
        item.is_overdue = bool(item.late)
        item.due_day = due_day(item.due_at)
        item.overdue_workdays = (
            workdays.workdays_between(item.due_day, today, calendar=calendar)
            if item.is_overdue
            else 0
        )
        group = groups.setdefault(
            item.branch, {"unit": children.get(item.branch, unit), "items": [], "overdue": 0}
        )
        group["items"].append(item)
        group["overdue"] += item.is_overdue
    return {
        "month": start,
        "live": live,
        "groups": list(groups.values()),
        "open": sum(item.is_open for item in items),
        "overdue": sum(item.is_overdue for item in items),
        "items": items,
    }


# Both meetings ---------------------------------------------------------------------------


@transaction.atomic
def review_meeting_record(
    *,
    unit: Unit,
    kind: str,
    held_on: datetime.date,
    actor,
    decisions: dict[int, str],
    attendees: str = "",
    notes: str = "",
) -> ReviewMeeting:
    """Record a meeting with a decision per item studied (item id → decision text)."""
    allowed = WEEKLY_KINDS if kind == ReviewKind.WEEKLY else MONTHLY_KINDS
    if unit.kind not in allowed:
        raise ValidationError(_("This unit does not hold that meeting."))
    access.require(actor, "handle_items", unit)
    if held_on > timezone.localdate():
        raise ValidationError(_("A meeting cannot be recorded before it is held."))
    items = list(
        LedgerItem.objects.filter(unit__path__startswith=unit.path, pk__in=list(decisions))
    )
    if len(items) != len(decisions):
        raise ValidationError(_("Some of the items are not this unit's."))
    if not items:
        raise ValidationError(_("Choose the items the meeting studied."))
    meeting = ReviewMeeting.objects.create(
        kind=kind,
        unit=unit,
        held_on=held_on,
        attendees=attendees.strip(),
        notes=notes.strip(),
        recorded_by=actor,
    )
    ReviewDecision.objects.bulk_create(
        ReviewDecision(meeting=meeting, item=item, decision=decisions[item.pk].strip())
        for item in items
    )
    now = timezone.now()
    LedgerEvent.objects.bulk_create(
        LedgerEvent(
            item=item,
            action=EventAction.REVIEW,
            actor=actor,
            at=now,
            from_status=item.status,
            to_status=item.status,
            note=decisions[item.pk].strip(),
            data={"meeting": meeting.pk, "kind": kind, "held_on": held_on.isoformat()},
        )
        for item in items
    )
    return meeting


def export_recorded(*, actor, unit: Unit, target: str, rows: int) -> None:
    """Exports are recorded (who took what out, when), as the item exports are."""
    AuditEvent.objects.create(
        actor=actor, action=AuditEvent.Action.EXPORT, unit=unit, target=target[:200], row_count=rows
    )
