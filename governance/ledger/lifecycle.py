"""The ledger's lifecycle steps, written once.

Each step changes an item in memory at a given moment and says what it changed and which
events to record; it reads nothing from the database. Two callers:

* `governance.ledger.services` — the real steps: it locks the row, checks the role and the
  version (rules.STEPS), calls the step at `timezone.now()`, saves the fields, records the
  events and tells the people concerned (notices);
* `governance.ledger.demo.Story` — the demo's believable histories: it calls the same step at a
  moment in the past and keeps the rows to insert in bulk.

So a rule (what a hand-over restarts, what a call-back reopens, when a deadline may move) is
written here and nowhere else; the demo cannot drift from the product.

`rules` is whatever answers three questions: `deadline(start, amount, unit)`, `warn(start,
due)` and `time_limits(category, responsible, ledger)` (services: the working-day calendar and
the catalogue; the demo: the same, remembered).
"""

import datetime
import zoneinfo
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from governance.models import (
    CloseReason,
    EventAction,
    ExtensionRequest,
    ExtensionStatus,
    LedgerItem,
    Satisfaction,
    Status,
    Unit,
)

# Looked up once: the demo calls these millions of times at district scale.
LOCAL = zoneinfo.ZoneInfo(settings.TIME_ZONE)
ONE_DAY = datetime.timedelta(days=1)


@dataclass
class Change:
    """What a step did: the item's fields to save and the events to record, in order, as
    (action, from status, note, data)."""

    fields: list[str] = field(default_factory=list)
    events: list[tuple[str, str, str, dict]] = field(default_factory=list)
    #: A step that finishes the item withdraws the extension requests still pending.
    withdraw_extensions: bool = False

    def event(self, action: str, from_status: str, note: str = "", **data) -> None:
        self.events.append((action, from_status, note, data))


def encode(value):
    """Dates in event data, always as local wall-clock ISO strings."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(LOCAL).isoformat()
    return value.isoformat() if isinstance(value, datetime.date) else value


def end_of(day: datetime.date) -> datetime.datetime:
    """A deadline given as a date: due at the end of that day (local midnight after it)."""
    return datetime.datetime.combine(day + ONE_DAY, datetime.time(), tzinfo=LOCAL)


def _same_as(item: LedgerItem, target: str, source: str) -> None:
    """item.<target> = item.<source> without a query (the related object when it is loaded)."""
    if LedgerItem._meta.get_field(source).is_cached(item):
        setattr(item, target, getattr(item, source))
    else:
        setattr(item, f"{target}_id", getattr(item, f"{source}_id"))


def set_deadline(item: LedgerItem, due: datetime.datetime, start: datetime.datetime, rules):
    item.due_at = due
    item.warn_at = rules.warn(start, due)
    if item.original_due_at is None:
        item.original_due_at = due
    return ["due_at", "warn_at", "original_due_at"]


def restart_clock(item: LedgerItem, at: datetime.datetime, limits, rules) -> list[str]:
    """A fresh handling period from `at` (hand-over, reopening): a new deadline that can warn
    and be supervised again. The history keeps the deadline it replaces."""
    fields = set_deadline(item, rules.deadline(at, limits.handle, limits.unit), at, rules)
    item.yellow_reminded_at = None
    item.supervised_at = None
    return [*fields, "yellow_reminded_at", "supervised_at"]


def _acknowledge(item: LedgerItem, at) -> list[str]:
    if item.accepted_at is None:
        item.accepted_at = at
        return ["accepted_at"]
    return []


def _answer(item: LedgerItem, at) -> list[str]:
    """Resolving or explaining answers the resident too, if nobody had replied yet."""
    if item.replied_at is None:
        item.replied_at = at
        return ["replied_at"]
    return []


def _required(text: str, message) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(message)
    return text


# --- the steps -------------------------------------------------------------------------------


def register(item: LedgerItem, *, limits, rules, due_at=None) -> Change:
    """The deadlines of a new item: acceptance always; handling from `due_at`, else from the
    time limit — except reception-day demands, whose deadline is set at the weekly review
    unless a category or the ledger sets one."""
    received = item.received_at
    item.accept_due_at = rules.deadline(received, limits.accept, limits.unit)
    ledger = item.ledger
    if due_at is not None:
        set_deadline(item, due_at, received, rules)
    elif (
        item.category_id is not None
        or ledger.default_handle_limit
        or (ledger.kind != "reception_day")
    ):
        set_deadline(item, rules.deadline(received, limits.handle, limits.unit), received, rules)
    change = Change()
    change.event(EventAction.CREATE, "")
    return change


def accept(item: LedgerItem, at, actor_id: int | None, note: str = "") -> Change:
    before = item.status
    item.status = Status.ACCEPTED
    change = Change(["status", *_acknowledge(item, at)])
    if before == Status.HANDED_OVER:
        item.department_accepted_at = at
        change.fields.append("department_accepted_at")
    if item.handler_id is None and actor_id is not None:
        item.handler_id = actor_id
        change.fields.append("handler")
    change.event(EventAction.ACCEPT, before, note)
    return change


def start(item: LedgerItem, at, note: str = "") -> Change:
    before = item.status
    item.status = Status.IN_PROGRESS
    change = Change(["status", *_acknowledge(item, at)])
    change.event(EventAction.START, before, note)
    return change


def plan(
    item: LedgerItem,
    at,
    *,
    measures: str,
    rules,
    due_on: datetime.date | None = None,
    reviewed: bool = False,
) -> Change:
    """Set measures and the deadline (a date: due at its end), e.g. at the weekly review. A
    deadline set here replaces the computed one but never moves it later (that takes an
    approved extension); the history keeps both."""
    item.measures = _required(measures, _("Write down the measures."))
    old_due = item.due_at
    change = Change(["measures"])
    if due_on is not None:
        if due_on < item.received_at.astimezone(LOCAL).date():
            raise ValidationError(_("The deadline is before the item was received."))
        new_due = end_of(due_on)
        if item.due_at is not None and new_due > item.due_at:
            raise ValidationError(
                _("A deadline moves later only through an approved extension request.")
            )
        change.fields += set_deadline(item, new_due, item.received_at, rules)
    if reviewed:
        item.reviewed_at = at
        change.fields.append("reviewed_at")
    change.event(
        EventAction.PLAN,
        item.status,
        item.measures,
        old_due=encode(old_due),
        new_due=encode(item.due_at),
    )
    return change


def reply(item: LedgerItem, at, text: str) -> Change:
    """Answer the resident (答复). Counts as acknowledging the item."""
    item.result = _required(text, _("Write down the reply."))
    before = item.status
    change = Change(["result", *_acknowledge(item, at), *_answer(item, at)])
    if item.status == Status.RECEIVED:
        item.status = Status.ACCEPTED
        change.fields.append("status")
    change.event(EventAction.REPLY, before, item.result)
    return change


def hand_over(item: LedgerItem, at, *, department: Unit, note: str, rules) -> Change:
    """To a functional department of the same district, with the department's time limits."""
    if department.kind != Unit.Kind.DEPARTMENT or not item.unit.path.startswith(
        department.path[: department.steplen]
    ):
        raise ValidationError(_("Choose a functional department of the same district."))
    note = _required(note, _("Say why the matter goes to the department."))
    before, old_due = item.status, item.due_at
    _same_as(item, "handed_over_from", "responsible_unit")
    item.responsible_unit = department
    item.status = Status.HANDED_OVER
    item.handler_id = None
    limits = rules.time_limits(item.category, department, item.ledger)
    item.handed_over_at = at
    item.department_accept_due_at = rules.deadline(at, limits.accept, limits.unit)
    item.department_accepted_at = None
    change = Change(
        [
            "handed_over_from",
            "responsible_unit",
            "status",
            "handler",
            "handed_over_at",
            "department_accept_due_at",
            "department_accepted_at",
            *restart_clock(item, at, limits, rules),
            *_acknowledge(item, at),
        ]
    )
    change.event(
        EventAction.HAND_OVER,
        before,
        note,
        department=department.pk,
        old_due=encode(old_due),
        new_due=encode(item.due_at),
    )
    return change


def back_from_department(item: LedgerItem, action: str, note: str, message) -> Change:
    """退回 (the department says it is not theirs) or 撤回 (the unit that handed it over takes
    it back): back to that unit (or where it arose), in progress and with no handler."""
    note = _required(note, message)
    before, department = item.status, item.responsible_unit_id
    if item.handed_over_from_id is not None:
        _same_as(item, "responsible_unit", "handed_over_from")
    else:
        _same_as(item, "responsible_unit", "unit")
    item.handed_over_from = None
    item.status = Status.IN_PROGRESS
    item.handler_id = None
    change = Change(["responsible_unit", "handed_over_from", "status", "handler"])
    change.event(action, before, note, department=department)
    return change


def resolve(item: LedgerItem, at, result: str) -> Change:
    item.result = _required(result, _("Write down how the matter was resolved."))
    before = item.status
    item.status = Status.RESOLVED
    item.resolved_at = at
    change = Change(["status", "result", "resolved_at", *_acknowledge(item, at)])
    change.fields += _answer(item, at)
    change.withdraw_extensions = True
    change.event(EventAction.RESOLVE, before, item.result)
    return change


def verify(item: LedgerItem, at, *, passed: bool, note: str = "") -> Change:
    before = item.status
    if passed:
        item.status = Status.VERIFIED
        item.verified_at = at
        change = Change(["status", "verified_at"])
        change.event(EventAction.VERIFY, before, note)
        return change
    note = _required(note, _("Say what is still not done."))
    item.status = Status.IN_PROGRESS
    item.resolved_at = None
    change = Change(["status", "resolved_at"])
    change.event(EventAction.VERIFY_FAIL, before, note)
    return change


def record_satisfaction(item: LedgerItem, at, *, satisfaction: str, note: str, rules) -> Change:
    """The resident's call-back. Satisfied or basically satisfied closes the item; unsatisfied
    reopens it with a fresh handling period (the earlier deadlines stay in the history)."""
    if satisfaction not in Satisfaction.values:
        raise ValidationError(_("Choose the resident's satisfaction."))
    before = item.status
    item.satisfaction = satisfaction
    if satisfaction == Satisfaction.UNSATISFIED:
        item.status = Status.IN_PROGRESS
        item.reopen_count += 1
        item.resolved_at = item.verified_at = None
        old_due = item.due_at
        limits = rules.time_limits(item.category, item.responsible_unit, item.ledger)
        change = Change(
            [
                "satisfaction",
                "status",
                "reopen_count",
                "resolved_at",
                "verified_at",
                *restart_clock(item, at, limits, rules),
            ]
        )
        change.event(EventAction.SATISFACTION, before, note, satisfaction=satisfaction)
        change.event(
            EventAction.REOPEN, before, old_due=encode(old_due), new_due=encode(item.due_at)
        )
        return change
    item.status = Status.CLOSED
    item.closed_at = at
    item.close_reason = CloseReason.RESOLVED
    change = Change(["satisfaction", "status", "closed_at", "close_reason"])
    change.event(EventAction.SATISFACTION, before, note, satisfaction=satisfaction)
    return change


def close_explained(item: LedgerItem, at, explanation: str) -> Change:
    """解释说明: a matter that cannot be solved is closed with an explanation to the resident."""
    item.result = _required(explanation, _("Write down the explanation given to the resident."))
    before = item.status
    item.status = Status.CLOSED
    item.close_reason = CloseReason.EXPLAINED
    item.closed_at = at
    change = Change(["status", "close_reason", "result", "closed_at", *_acknowledge(item, at)])
    change.fields += _answer(item, at)
    change.withdraw_extensions = True
    change.event(EventAction.EXPLAIN, before, item.result)
    return change


def extension_request(
    item: LedgerItem, at, *, requested_by_id: int, reason: str, due_on: datetime.date
) -> tuple[ExtensionRequest, Change]:
    """A request (unsaved) to move the deadline to the end of `due_on`."""
    reason = _required(reason, _("Give the reason for the extension."))
    if item.due_at is None:
        raise ValidationError(_("The item has no deadline yet; set one instead."))
    requested = end_of(due_on)
    if requested <= item.due_at:
        raise ValidationError(_("The new deadline must be later than the current one."))
    extension = ExtensionRequest(
        item=item,
        requested_by_id=requested_by_id,
        requested_at=at,
        reason=reason,
        previous_due_at=item.due_at,
        requested_due_at=requested,
    )
    change = Change()
    change.event(
        EventAction.EXTENSION_REQUEST, item.status, reason, requested_due=encode(requested)
    )
    return extension, change


def extension_decide(
    item: LedgerItem, extension: ExtensionRequest, at, *, decided_by_id, approve: bool, note, rules
) -> Change:
    """The level above approves or refuses. Only an approval moves the deadline, and lets the
    item warn and be supervised again."""
    note = (note or "").strip()
    extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    extension.decided_by_id = decided_by_id
    extension.decided_at = at
    extension.decision_note = note
    change = Change()
    if not approve:
        change.event(EventAction.EXTENSION_REFUSE, item.status, note)
        return change
    old_due = item.due_at
    change.fields += set_deadline(item, extension.requested_due_at, item.received_at, rules)
    item.yellow_reminded_at = None
    item.supervised_at = None
    change.fields += ["yellow_reminded_at", "supervised_at"]
    change.event(
        EventAction.EXTENSION_APPROVE,
        item.status,
        note,
        old_due=encode(old_due),
        new_due=encode(item.due_at),
    )
    return change


def supervise(item: LedgerItem, at, *, overdue_workdays: int) -> Change:
    """督办: the level above takes up an overdue item, once per deadline."""
    item.supervised_at = at
    change = Change(["supervised_at"])
    change.event(EventAction.SUPERVISE, item.status, overdue_workdays=overdue_workdays)
    return change
