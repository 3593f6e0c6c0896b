"""Every write to a ledger item. Keyword-only, one transaction, one LedgerEvent per step.

Concurrency: each step locks the item row (SELECT … FOR UPDATE; SQLite serialises writers
with BEGIN IMMEDIATE) and re-checks the status under the lock, so of two people acting at
once the second is refused with a message instead of overwriting the first. Forms also send
the item's `version`; a form filled in against an older version is refused the same way.
"""

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import access, workdays
from governance.ledger import notices
from governance.ledger.rules import STEPS, may
from governance.models import (
    CategoryTimeLimit,
    CloseReason,
    EventAction,
    ExtensionRequest,
    ExtensionStatus,
    ItemAttachment,
    Ledger,
    LedgerEvent,
    LedgerItem,
    Level,
    MatterCategory,
    NumberSequence,
    Satisfaction,
    Source,
    Status,
    TimeUnit,
    Unit,
)

DEFAULT_HANDLE_LIMIT = 15
DEFAULT_ACCEPT_LIMIT = 1


class StepRefused(ValidationError):
    """A step the lifecycle or the user's role does not allow, or a stale form."""


@dataclass(frozen=True)
class TimeLimits:
    accept: int
    handle: int
    verify: int
    unit: str


def time_limits(category: MatterCategory | None, responsible: Unit, ledger: Ledger) -> TimeLimits:
    """Per category and per level; else the category's defaults; else the ledger's default."""
    if category is not None:
        override = CategoryTimeLimit.objects.filter(
            category=category, level=Level.of(responsible)
        ).first()
        source = override or category
        return TimeLimits(
            source.accept_limit, source.handle_limit, source.verify_limit, source.limit_unit
        )
    return TimeLimits(
        DEFAULT_ACCEPT_LIMIT,
        ledger.default_handle_limit or DEFAULT_HANDLE_LIMIT,
        5,
        TimeUnit.WORKDAY,
    )


def _set_deadline(
    item: LedgerItem,
    due: datetime.datetime,
    start: datetime.datetime,
    calendar: workdays.WorkCalendar,
) -> None:
    item.due_at = due
    item.warn_at = workdays.warn_moment(start, due, calendar=calendar)
    if item.original_due_at is None:
        item.original_due_at = due


def _restart_clock(
    item: LedgerItem, now: datetime.datetime, limits: TimeLimits, calendar: workdays.WorkCalendar
) -> list[str]:
    """A fresh handling period from `now` (hand-over, reopening): a new deadline that can warn
    and be supervised again. The history keeps the deadline it replaces."""
    _set_deadline(
        item, workdays.deadline(now, limits.handle, limits.unit, calendar=calendar), now, calendar
    )
    item.yellow_reminded_at = None
    item.supervised_at = None
    return ["due_at", "warn_at", "original_due_at", "yellow_reminded_at", "supervised_at"]


def next_number(prefix: str, year: int) -> str:
    sequence, _ = NumberSequence.objects.select_for_update().get_or_create(prefix=prefix, year=year)
    NumberSequence.objects.filter(pk=sequence.pk).update(last=F("last") + 1)
    sequence.refresh_from_db()
    return f"{prefix}-{year}-{sequence.last:06d}"


def _reserve_number(number: str) -> None:
    """A number kept from an import moves its sequence past it, so later numbers never clash."""
    match = re.fullmatch(r"(.+)-(\d{4})-(\d+)", number)
    if match is None:
        return
    prefix, year, seq = match.group(1), int(match.group(2)), int(match.group(3))
    sequence, _ = NumberSequence.objects.select_for_update().get_or_create(prefix=prefix, year=year)
    NumberSequence.objects.filter(pk=sequence.pk).update(last=Greatest(F("last"), seq))


def _record(
    item: LedgerItem,
    action: str,
    actor,
    *,
    from_status: str = "",
    note: str = "",
    at: datetime.datetime | None = None,
    **data,
) -> LedgerEvent:
    return LedgerEvent.objects.create(
        item=item,
        action=action,
        actor=actor,
        at=at or timezone.now(),
        from_status=from_status,
        to_status=item.status,
        note=note,
        data=data,
    )


def _encode(value):
    """Dates in event data, always as local wall-clock ISO strings."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat() if isinstance(value, datetime.date) else value


@transaction.atomic
def item_create(
    *,
    ledger: Ledger,
    title: str,
    unit: Unit,
    actor,
    source: str = Source.OTHER,
    description: str = "",
    category: MatterCategory | None = None,
    responsible_unit: Unit | None = None,
    resident_name: str = "",
    resident_phone: str = "",
    hotline_ticket: str = "",
    hotline_due_at: datetime.datetime | None = None,
    received_at: datetime.datetime | None = None,
    due_at: datetime.datetime | None = None,
    measures: str = "",
    long_term_mechanism: str = "",
    handler=None,
    source_record=None,
    attachments: Sequence = (),
    number: str | None = None,
    calendar: workdays.WorkCalendar | None = None,
) -> LedgerItem:
    """Register an item. Its deadline comes from the category's time limit unless given."""
    from governance.normalize import clean_text, normalize_phone

    title = clean_text(title)
    if not title:
        raise ValidationError(_("An item needs a title."))
    if not unit.path.startswith(ledger.unit.path):
        raise ValidationError(
            _("%(unit)s is not within %(owner)s, which keeps this ledger.")
            % {"unit": unit.name, "owner": ledger.unit.name}
        )
    if actor is not None and not access.can(actor, "create_items", unit):
        raise StepRefused(_("Your role may not register items here."), code="forbidden")
    received_at = received_at or timezone.now()
    # A grid does not own items: its village or community answers for what arises there.
    responsible = responsible_unit or (unit.parent if unit.kind == Unit.Kind.GRID else unit)
    item = LedgerItem(
        ledger=ledger,
        title=title,
        description=description.strip(),
        source=source,
        unit=unit,
        category=category or ledger.default_category,
        responsible_unit=responsible,
        resident_name=clean_text(resident_name),
        resident_phone=normalize_phone(resident_phone),
        hotline_ticket=clean_text(hotline_ticket),
        hotline_due_at=hotline_due_at,
        received_at=received_at,
        measures=measures.strip(),
        long_term_mechanism=long_term_mechanism.strip(),
        handler=handler,
        created_by=actor,
        status=Status.RECEIVED,
    )
    if source_record is not None:
        item.source_type = ContentType.objects.get_for_model(source_record)
        item.source_id = source_record.pk
    # Bulk callers (imports) pass one calendar so the holiday table is read once.
    calendar = calendar or workdays.WorkCalendar()
    limits = time_limits(item.category, responsible, ledger)
    item.accept_due_at = workdays.deadline(
        received_at, limits.accept, limits.unit, calendar=calendar
    )
    # Reception-day demands get their deadline at the weekly review unless a category sets it.
    if due_at is not None:
        _set_deadline(item, due_at, received_at, calendar)
    elif item.category is not None or ledger.default_handle_limit or ledger.kind != "reception_day":
        _set_deadline(
            item,
            workdays.deadline(received_at, limits.handle, limits.unit, calendar=calendar),
            received_at,
            calendar,
        )
    if number:
        _reserve_number(number)
        item.number = number
    else:
        item.number = next_number(ledger.prefix, timezone.localdate(received_at).year)
    item.full_clean(
        exclude=["ledger", "unit", "responsible_unit", "category", "handler", "created_by"]
    )
    item.save()
    _record(item, EventAction.CREATE, actor, at=received_at)
    # Files that came with the matter (a visit's photo) travel with it; a stored file is
    # referenced, not copied.
    for upload in attachments:
        name = PurePath(upload.name).name[:200]
        stored = upload.name if isinstance(upload, FieldFile) else upload
        ItemAttachment.objects.create(item=item, file=stored, name=name, uploaded_by=actor)
        _record(item, EventAction.ATTACH, actor, from_status=item.status, note=name)
    notices.registered(item=item, actor=actor)
    return item


def step_refusal(*, item: LedgerItem, step: str, actor, version: int | None) -> StepRefused | None:
    """Why `step` would be refused on `item` as it is now, or None. Pages ask before showing a
    form; the services ask again under the row lock."""
    if version is not None and item.version != version:
        return StepRefused(
            _("Someone else changed this item a moment ago. Reload the page and try again."),
            code="stale",
        )
    if item.status not in STEPS[step].from_statuses:
        return StepRefused(
            _("“%(step)s” is not possible while the item is “%(status)s”.")
            % {"step": STEPS[step].label, "status": item.get_status_display()},
            code="not_allowed",
        )
    if actor is not None and not may(actor, step, item):
        return StepRefused(_("Your role does not allow this step on this item."), code="forbidden")
    return None


def _lock(item: LedgerItem, step: str, actor, version: int | None) -> LedgerItem:
    locked = (
        LedgerItem.objects.select_for_update(of=("self",))
        .select_related("responsible_unit", "unit", "ledger")
        .get(pk=item.pk)
    )
    refusal = step_refusal(item=locked, step=step, actor=actor, version=version)
    if refusal is not None:
        raise refusal
    return locked


def _save(item: LedgerItem, *fields: str) -> None:
    item.version += 1
    item.save(update_fields=[*fields, "version", "updated_at"])


def _withdraw_extensions(item: LedgerItem, now) -> None:
    """A request still pending when the item is finished has nothing left to decide."""
    ExtensionRequest.objects.filter(item=item, status=ExtensionStatus.PENDING).update(
        status=ExtensionStatus.WITHDRAWN, decided_at=now
    )


def _answer(item: LedgerItem, now) -> list[str]:
    """Resolving or explaining answers the resident too, if nobody had replied yet."""
    if item.replied_at is None:
        item.replied_at = now
        return ["replied_at"]
    return []


def _acknowledge(item: LedgerItem, now) -> list[str]:
    if item.accepted_at is None:
        item.accepted_at = now
        return ["accepted_at"]
    return []


@transaction.atomic
def item_accept(
    *, item: LedgerItem, actor, version: int | None = None, note: str = ""
) -> LedgerItem:
    item = _lock(item, "accept", actor, version)
    before, now = item.status, timezone.now()
    item.status = Status.ACCEPTED
    fields = ["status", *_acknowledge(item, now)]
    if before == Status.HANDED_OVER:
        item.department_accepted_at = now
        fields.append("department_accepted_at")
    if item.handler_id is None and actor is not None:
        item.handler = actor
        fields.append("handler")
    _save(item, *fields)
    _record(item, EventAction.ACCEPT, actor, from_status=before, note=note)
    return item


@transaction.atomic
def item_start(
    *, item: LedgerItem, actor, version: int | None = None, note: str = ""
) -> LedgerItem:
    item = _lock(item, "start", actor, version)
    before = item.status
    item.status = Status.IN_PROGRESS
    _save(item, "status", *_acknowledge(item, timezone.now()))
    _record(item, EventAction.START, actor, from_status=before, note=note)
    return item


@transaction.atomic
def item_plan(
    *,
    item: LedgerItem,
    actor,
    measures: str,
    due_on: datetime.date | None = None,
    handler=None,
    version: int | None = None,
    reviewed: bool = False,
) -> LedgerItem:
    """Set measures, the deadline (a date: due at its end) and the handler, e.g. at the weekly
    review. A deadline set here replaces the computed one; the history keeps both."""
    item = _lock(item, "plan", actor, version)
    if not measures.strip():
        raise ValidationError(_("Write down the measures."))
    now = timezone.now()
    old_due = item.due_at
    item.measures = measures.strip()
    fields = ["measures"]
    if due_on is not None:
        if due_on < timezone.localdate(item.received_at):
            raise ValidationError(_("The deadline is before the item was received."))
        new_due = timezone.make_aware(
            datetime.datetime.combine(due_on + datetime.timedelta(days=1), datetime.time())
        )
        if item.due_at is not None and new_due > item.due_at:
            # The time limit is the catalogue's; only the level above can grant more time.
            raise ValidationError(
                _("A deadline moves later only through an approved extension request.")
            )
        calendar = workdays.WorkCalendar()
        _set_deadline(
            item,
            timezone.make_aware(
                datetime.datetime.combine(due_on + datetime.timedelta(days=1), datetime.time())
            ),
            item.received_at,
            calendar,
        )
        fields += ["due_at", "warn_at", "original_due_at"]
    if handler is not None:
        item.handler = handler
        fields.append("handler")
    if reviewed:
        item.reviewed_at = now
        fields.append("reviewed_at")
    _save(item, *fields)
    _record(
        item,
        EventAction.PLAN,
        actor,
        from_status=item.status,
        note=item.measures,
        old_due=_encode(old_due),
        new_due=_encode(item.due_at),
    )
    return item


@transaction.atomic
def item_edit(*, item: LedgerItem, actor, version: int | None = None, **fields) -> LedgerItem:
    allowed = {
        "title",
        "description",
        "category",
        "resident_name",
        "resident_phone",
        "hotline_ticket",
        "hotline_due_at",
        "long_term_mechanism",
        "handler",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"item_edit cannot change {sorted(unknown)}")
    item = _lock(item, "edit", actor, version)
    changed = {}
    for name, value in fields.items():
        if getattr(item, name) != value:
            changed[name] = str(value) if value is not None else ""
            setattr(item, name, value)
    if changed:
        item.full_clean(exclude=["ledger", "unit", "responsible_unit", "category", "handler"])
        _save(item, *changed)
        _record(item, EventAction.EDIT, actor, from_status=item.status, changed=sorted(changed))
    return item


@transaction.atomic
def item_reply(*, item: LedgerItem, actor, reply: str, version: int | None = None) -> LedgerItem:
    """Answer the resident (答复). Counts as acknowledging the item."""
    item = _lock(item, "reply", actor, version)
    if not reply.strip():
        raise ValidationError(_("Write down the reply."))
    now = timezone.now()
    before = item.status
    item.result = reply.strip()
    fields = ["result", *_acknowledge(item, now), *_answer(item, now)]
    if item.status == Status.RECEIVED:
        item.status = Status.ACCEPTED
        fields.append("status")
    _save(item, *fields)
    _record(item, EventAction.REPLY, actor, from_status=before, note=item.result)
    return item


@transaction.atomic
def item_hand_over(
    *, item: LedgerItem, actor, department: Unit, note: str = "", version: int | None = None
) -> LedgerItem:
    """Hand the item to a functional department of the district, with its own time limit."""
    item = _lock(item, "hand_over", actor, version)
    if department.kind != Unit.Kind.DEPARTMENT or not item.unit.path.startswith(
        department.path[: department.steplen]
    ):
        raise ValidationError(_("Choose a functional department of the same district."))
    if not note.strip():
        raise ValidationError(_("Say why the matter goes to the department."))
    now = timezone.now()
    before = item.status
    old_due = item.due_at
    item.handed_over_from = item.responsible_unit
    item.responsible_unit = department
    item.status = Status.HANDED_OVER
    item.handler = None
    calendar = workdays.WorkCalendar()
    limits = time_limits(item.category, department, item.ledger)
    item.handed_over_at = now
    item.department_accept_due_at = workdays.deadline(
        now, limits.accept, limits.unit, calendar=calendar
    )
    item.department_accepted_at = None
    clock = _restart_clock(item, now, limits, calendar)
    _save(
        item,
        "handed_over_from",
        "responsible_unit",
        "status",
        "handler",
        "handed_over_at",
        "department_accept_due_at",
        "department_accepted_at",
        *clock,
        *_acknowledge(item, now),
    )
    _record(
        item,
        EventAction.HAND_OVER,
        actor,
        from_status=before,
        note=note.strip(),
        department=department.pk,
        old_due=_encode(old_due),
        new_due=_encode(item.due_at),
    )
    notices.handed_over(item=item, actor=actor, note=note.strip())
    return item


@transaction.atomic
def item_return(*, item: LedgerItem, actor, note: str, version: int | None = None) -> LedgerItem:
    """The department says the matter is not theirs: it goes back to the unit that sent it."""
    item = _lock(item, "return", actor, version)
    if not note.strip():
        raise ValidationError(_("Say why the matter is not the department's."))
    department = _back_from_department(item, EventAction.RETURN, actor, note)
    notices.returned(item=item, actor=actor, department=department, note=note.strip())
    return item


def _back_from_department(item: LedgerItem, action, actor, note: str):
    """The item leaves the department for the unit that handed it over (or where it arose),
    in progress and with no handler; the event names the department. Returns the department."""
    before = item.status
    department = item.responsible_unit
    item.responsible_unit = item.handed_over_from or item.unit
    item.handed_over_from = None
    item.status = Status.IN_PROGRESS
    item.handler = None
    _save(item, "responsible_unit", "handed_over_from", "status", "handler")
    _record(item, action, actor, from_status=before, note=note.strip(), department=department.pk)
    return department


@transaction.atomic
def item_urge(*, item: LedgerItem, actor, note: str = "") -> LedgerItem:
    """催办: the unit that handed the item over asks the department for progress. Recorded in
    the history each time; the department is told at most once a day."""
    item = _lock(item, "urge", actor, None)
    # No version bump: urging changes nothing a person is editing in a form.
    _record(item, EventAction.URGE, actor, from_status=item.status, note=note.strip())
    notices.urged(item=item, actor=actor, note=note.strip())
    return item


@transaction.atomic
def item_withdraw(*, item: LedgerItem, actor, note: str, version: int | None = None) -> LedgerItem:
    """撤回: the unit that handed the item over takes it back from the department, which is
    told. The deadline stays the one the hand-over set; the history keeps who had it."""
    item = _lock(item, "withdraw", actor, version)
    if not note.strip():
        raise ValidationError(_("Say why the item is withdrawn."))
    department = _back_from_department(item, EventAction.WITHDRAW, actor, note)
    notices.withdrawn(item=item, actor=actor, department=department, note=note.strip())
    return item


@transaction.atomic
def item_resolve(*, item: LedgerItem, actor, result: str, version: int | None = None) -> LedgerItem:
    item = _lock(item, "resolve", actor, version)
    if not result.strip():
        raise ValidationError(_("Write down how the matter was resolved."))
    now = timezone.now()
    before = item.status
    item.status = Status.RESOLVED
    item.result = result.strip()
    item.resolved_at = now
    _save(item, "status", "result", "resolved_at", *_acknowledge(item, now), *_answer(item, now))
    _withdraw_extensions(item, now)
    _record(item, EventAction.RESOLVE, actor, from_status=before, note=item.result)
    notices.resolved(item=item, actor=actor)
    return item


@transaction.atomic
def item_verify(
    *, item: LedgerItem, actor, passed: bool, note: str = "", version: int | None = None
) -> LedgerItem:
    item = _lock(item, "verify" if passed else "verify_fail", actor, version)
    before = item.status
    if passed:
        item.status = Status.VERIFIED
        item.verified_at = timezone.now()
        _save(item, "status", "verified_at")
        _record(item, EventAction.VERIFY, actor, from_status=before, note=note)
    else:
        if not note.strip():
            raise ValidationError(_("Say what is still not done."))
        item.status = Status.IN_PROGRESS
        item.resolved_at = None
        _save(item, "status", "resolved_at")
        _record(item, EventAction.VERIFY_FAIL, actor, from_status=before, note=note.strip())
        notices.verify_failed(item=item, actor=actor, note=note.strip())
    return item


@transaction.atomic
def item_record_satisfaction(
    *, item: LedgerItem, actor, satisfaction: str, note: str = "", version: int | None = None
) -> LedgerItem:
    """The resident's call-back. Satisfied or basically satisfied closes the item; unsatisfied
    reopens it with a fresh handling period (the earlier deadlines stay in the history)."""
    item = _lock(item, "satisfaction", actor, version)
    if satisfaction not in Satisfaction.values:
        raise ValidationError(_("Choose the resident's satisfaction."))
    now = timezone.now()
    before = item.status
    item.satisfaction = satisfaction
    if satisfaction == Satisfaction.UNSATISFIED:
        item.status = Status.IN_PROGRESS
        item.reopen_count += 1
        item.resolved_at = item.verified_at = None
        old_due = item.due_at
        limits = time_limits(item.category, item.responsible_unit, item.ledger)
        clock = _restart_clock(item, now, limits, workdays.WorkCalendar())
        _save(item, "satisfaction", "status", "reopen_count", "resolved_at", "verified_at", *clock)
        _record(
            item,
            EventAction.SATISFACTION,
            actor,
            from_status=before,
            note=note,
            satisfaction=satisfaction,
        )
        _record(
            item,
            EventAction.REOPEN,
            actor,
            from_status=before,
            old_due=_encode(old_due),
            new_due=_encode(item.due_at),
        )
        notices.reopened(item=item, actor=actor, note=note.strip())
    else:
        item.status = Status.CLOSED
        item.closed_at = now
        item.close_reason = CloseReason.RESOLVED
        _save(item, "satisfaction", "status", "closed_at", "close_reason")
        _record(
            item,
            EventAction.SATISFACTION,
            actor,
            from_status=before,
            note=note,
            satisfaction=satisfaction,
        )
    return item


@transaction.atomic
def item_close_explained(
    *, item: LedgerItem, actor, explanation: str, version: int | None = None
) -> LedgerItem:
    """解释说明: a matter that cannot be solved is closed with an explanation to the resident."""
    item = _lock(item, "explain", actor, version)
    if not explanation.strip():
        raise ValidationError(_("Write down the explanation given to the resident."))
    now = timezone.now()
    before = item.status
    item.status = Status.CLOSED
    item.close_reason = CloseReason.EXPLAINED
    item.result = explanation.strip()
    item.closed_at = now
    _save(
        item,
        "status",
        "close_reason",
        "result",
        "closed_at",
        *_acknowledge(item, now),
        *_answer(item, now),
    )
    _withdraw_extensions(item, now)
    _record(item, EventAction.EXPLAIN, actor, from_status=before, note=item.result)
    return item


@transaction.atomic
def extension_request(
    *, item: LedgerItem, actor, reason: str, due_on: datetime.date, version: int | None = None
) -> ExtensionRequest:
    item = _lock(item, "extension_request", actor, version)
    if not reason.strip():
        raise ValidationError(_("Give the reason for the extension."))
    if item.due_at is None:
        raise ValidationError(_("The item has no deadline yet; set one instead."))
    requested = timezone.make_aware(
        datetime.datetime.combine(due_on + datetime.timedelta(days=1), datetime.time())
    )
    if requested <= item.due_at:
        raise ValidationError(_("The new deadline must be later than the current one."))
    if ExtensionRequest.objects.filter(item=item, status=ExtensionStatus.PENDING).exists():
        raise StepRefused(_("An extension request for this item is already awaiting approval."))
    extension = ExtensionRequest.objects.create(
        item=item,
        requested_by=actor,
        reason=reason.strip(),
        previous_due_at=item.due_at,
        requested_due_at=requested,
    )
    _save(item)
    _record(
        item,
        EventAction.EXTENSION_REQUEST,
        actor,
        from_status=item.status,
        note=extension.reason,
        requested_due=_encode(requested),
    )
    notices.extension_requested(extension=extension, actor=actor)
    return extension


@transaction.atomic
def extension_decide(
    *, extension: ExtensionRequest, actor, approve: bool, note: str = ""
) -> ExtensionRequest:
    """The level above approves or refuses. Only an approval moves the deadline."""
    item = _lock(extension.item, "extension_decide", actor, None)
    claimed = ExtensionRequest.objects.filter(
        pk=extension.pk, status=ExtensionStatus.PENDING
    ).update(
        status=ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED,
        decided_by=actor,
        decided_at=timezone.now(),
        decision_note=note.strip(),
    )
    if not claimed:
        raise StepRefused(_("This extension request has already been decided."))
    extension.refresh_from_db()
    if approve:
        old_due = item.due_at
        calendar = workdays.WorkCalendar()
        _set_deadline(item, extension.requested_due_at, item.received_at, calendar)
        item.yellow_reminded_at = None
        item.supervised_at = None
        _save(item, "due_at", "warn_at", "yellow_reminded_at", "supervised_at")
        _record(
            item,
            EventAction.EXTENSION_APPROVE,
            actor,
            from_status=item.status,
            note=note,
            old_due=_encode(old_due),
            new_due=_encode(item.due_at),
        )
    else:
        _save(item)
        _record(item, EventAction.EXTENSION_REFUSE, actor, from_status=item.status, note=note)
    notices.extension_decided(extension=extension, item=item, actor=actor)
    return extension


@transaction.atomic
def item_supervise(*, item_id: int, now: datetime.datetime, overdue_days: int) -> bool:
    """督办: mark an overdue item as supervised by the level above, once. True if this call did."""
    # No version bump: supervision changes nothing a person is editing in a form.
    claimed = LedgerItem.objects.filter(pk=item_id, supervised_at__isnull=True).update(
        supervised_at=now
    )
    if claimed:
        item = LedgerItem.objects.get(pk=item_id)
        _record(
            item,
            EventAction.SUPERVISE,
            None,
            from_status=item.status,
            at=now,
            overdue_workdays=overdue_days,
        )
    return bool(claimed)


@transaction.atomic
def item_attach(*, item: LedgerItem, actor, upload) -> ItemAttachment:
    item = _lock(item, "attach", actor, None)
    attachment = ItemAttachment.objects.create(
        item=item, file=upload, name=upload.name[:200], uploaded_by=actor
    )
    _save(item)
    _record(item, EventAction.ATTACH, actor, from_status=item.status, note=attachment.name)
    return attachment
