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
from governance.ledger import lifecycle, notices
from governance.ledger.rules import STEPS, may
from governance.models import (
    CategoryTimeLimit,
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


class Rules:
    """The working-day calendar and the catalogue's time limits, for the lifecycle steps."""

    def __init__(self, calendar: workdays.WorkCalendar | None = None):
        self.calendar = calendar or workdays.WorkCalendar()

    def deadline(self, start: datetime.datetime, amount: int, unit: str) -> datetime.datetime:
        return workdays.deadline(start, amount, unit, calendar=self.calendar)

    def warn(self, start: datetime.datetime, due: datetime.datetime) -> datetime.datetime:
        return workdays.warn_moment(start, due, calendar=self.calendar)

    time_limits = staticmethod(time_limits)


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
    limits = time_limits(item.category, responsible, ledger)
    change = lifecycle.register(item, limits=limits, rules=Rules(calendar), due_at=due_at)
    if number:
        _reserve_number(number)
        item.number = number
    else:
        item.number = next_number(ledger.prefix, timezone.localdate(received_at).year)
    item.full_clean(
        exclude=["ledger", "unit", "responsible_unit", "category", "handler", "created_by"]
    )
    item.save()
    for action, from_status, note, data in change.events:
        _record(item, action, actor, from_status=from_status, note=note, at=received_at, **data)
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
    item.save(update_fields=[*dict.fromkeys(fields), "version", "updated_at"])


def _apply(item: LedgerItem, change: lifecycle.Change, actor, now) -> LedgerItem:
    """Save what a lifecycle step changed and record its events."""
    _save(item, *change.fields)
    if change.withdraw_extensions:
        _withdraw_extensions(item, now)
    for action, from_status, note, data in change.events:
        _record(item, action, actor, from_status=from_status, note=note, **data)
    return item


def _withdraw_extensions(item: LedgerItem, now) -> None:
    """A request still pending when the item is finished has nothing left to decide."""
    ExtensionRequest.objects.filter(item=item, status=ExtensionStatus.PENDING).update(
        status=ExtensionStatus.WITHDRAWN, decided_at=now
    )


@transaction.atomic
def item_accept(
    *, item: LedgerItem, actor, version: int | None = None, note: str = ""
) -> LedgerItem:
    item = _lock(item, "accept", actor, version)
    now = timezone.now()
    return _apply(item, lifecycle.accept(item, now, getattr(actor, "pk", None), note), actor, now)


@transaction.atomic
def item_start(
    *, item: LedgerItem, actor, version: int | None = None, note: str = ""
) -> LedgerItem:
    item = _lock(item, "start", actor, version)
    now = timezone.now()
    return _apply(item, lifecycle.start(item, now, note), actor, now)


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
    now = timezone.now()
    change = lifecycle.plan(
        item, now, measures=measures, rules=Rules(), due_on=due_on, reviewed=reviewed
    )
    if handler is not None:
        item.handler = handler
        change.fields.append("handler")
    return _apply(item, change, actor, now)


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
    now = timezone.now()
    return _apply(item, lifecycle.reply(item, now, reply), actor, now)


@transaction.atomic
def item_hand_over(
    *, item: LedgerItem, actor, department: Unit, note: str = "", version: int | None = None
) -> LedgerItem:
    """Hand the item to a functional department of the district, with its own time limit."""
    item = _lock(item, "hand_over", actor, version)
    now = timezone.now()
    change = lifecycle.hand_over(item, now, department=department, note=note, rules=Rules())
    _apply(item, change, actor, now)
    notices.handed_over(item=item, actor=actor, note=note.strip())
    return item


@transaction.atomic
def item_return(*, item: LedgerItem, actor, note: str, version: int | None = None) -> LedgerItem:
    """The department says the matter is not theirs: it goes back to the unit that sent it."""
    item = _lock(item, "return", actor, version)
    department = item.responsible_unit
    change = lifecycle.back_from_department(
        item, EventAction.RETURN, note, _("Say why the matter is not the department's.")
    )
    _apply(item, change, actor, timezone.now())
    notices.returned(item=item, actor=actor, department=department, note=note.strip())
    return item


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
    department = item.responsible_unit
    change = lifecycle.back_from_department(
        item, EventAction.WITHDRAW, note, _("Say why the item is withdrawn.")
    )
    _apply(item, change, actor, timezone.now())
    notices.withdrawn(item=item, actor=actor, department=department, note=note.strip())
    return item


@transaction.atomic
def item_resolve(*, item: LedgerItem, actor, result: str, version: int | None = None) -> LedgerItem:
    item = _lock(item, "resolve", actor, version)
    now = timezone.now()
    _apply(item, lifecycle.resolve(item, now, result), actor, now)
    notices.resolved(item=item, actor=actor)
    return item


@transaction.atomic
def item_verify(
    *, item: LedgerItem, actor, passed: bool, note: str = "", version: int | None = None
) -> LedgerItem:
    item = _lock(item, "verify" if passed else "verify_fail", actor, version)
    now = timezone.now()
    _apply(item, lifecycle.verify(item, now, passed=passed, note=note), actor, now)
    if not passed:
        notices.verify_failed(item=item, actor=actor, note=note.strip())
    return item


@transaction.atomic
def item_record_satisfaction(
    *, item: LedgerItem, actor, satisfaction: str, note: str = "", version: int | None = None
) -> LedgerItem:
    """The resident's call-back. Satisfied or basically satisfied closes the item; unsatisfied
    reopens it with a fresh handling period (the earlier deadlines stay in the history)."""
    item = _lock(item, "satisfaction", actor, version)
    now = timezone.now()
    change = lifecycle.record_satisfaction(
        item, now, satisfaction=satisfaction, note=note, rules=Rules()
    )
    _apply(item, change, actor, now)
    if satisfaction == Satisfaction.UNSATISFIED:
        notices.reopened(item=item, actor=actor, note=note.strip())
    return item


@transaction.atomic
def item_close_explained(
    *, item: LedgerItem, actor, explanation: str, version: int | None = None
) -> LedgerItem:
    """解释说明: a matter that cannot be solved is closed with an explanation to the resident."""
    item = _lock(item, "explain", actor, version)
    now = timezone.now()
    return _apply(item, lifecycle.close_explained(item, now, explanation), actor, now)


@transaction.atomic
def extension_request(
    *, item: LedgerItem, actor, reason: str, due_on: datetime.date, version: int | None = None
) -> ExtensionRequest:
    item = _lock(item, "extension_request", actor, version)
    now = timezone.now()
    extension, change = lifecycle.extension_request(
        item, now, requested_by_id=actor.pk, reason=reason, due_on=due_on
    )
    if ExtensionRequest.objects.filter(item=item, status=ExtensionStatus.PENDING).exists():
        raise StepRefused(_("An extension request for this item is already awaiting approval."))
    extension.save()
    _apply(item, change, actor, now)
    notices.extension_requested(extension=extension, actor=actor)
    return extension


@transaction.atomic
def extension_decide(
    *, extension: ExtensionRequest, actor, approve: bool, note: str = ""
) -> ExtensionRequest:
    """The level above approves or refuses. Only an approval moves the deadline."""
    item = _lock(extension.item, "extension_decide", actor, None)
    now = timezone.now()
    change = lifecycle.extension_decide(
        item, extension, now, decided_by_id=actor.pk, approve=approve, note=note, rules=Rules()
    )
    claimed = ExtensionRequest.objects.filter(
        pk=extension.pk, status=ExtensionStatus.PENDING
    ).update(
        status=extension.status,
        decided_by=actor,
        decided_at=extension.decided_at,
        decision_note=extension.decision_note,
    )
    if not claimed:
        raise StepRefused(_("This extension request has already been decided."))
    extension.refresh_from_db()
    _apply(item, change, actor, now)
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
        change = lifecycle.supervise(item, now, overdue_workdays=overdue_days)
        for action, from_status, note, data in change.events:
            _record(item, action, None, from_status=from_status, note=note, at=now, **data)
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
