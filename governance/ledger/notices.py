"""Who is told, at once, when a step of an item gives them work.

The services of governance.ledger.services call one function here inside their transaction;
`notifications.notify` inserts the inbox rows under the inbox's claim (recipient, kind,
subject, day), so a step rolled back tells nobody, a step repeated the same day tells each
recipient once, and the mail follows when the transaction commits. The person who took the
step is never told of it.

Kinds and recipients ("staff": governance.recipients, the closest level that has any)
- ledger.registered / ledger.reported (from a grid visit): the staff of the responsible unit,
  and the handler if one was named.
- ledger.handed_over: the staff of the department.
- ledger.returned: the staff of the unit the item goes back to.
- ledger.resolved: who verifies: the unit that handed it over, else the staff where it arose.
- ledger.verify_failed, ledger.reopened (resident unsatisfied): the responsible unit's staff
  and the handler.
- ledger.extension_pending (the daily sweep's kind, so the sweep does not repeat it the same
  day): the staff above the responsible unit, who decide; ledger.extension_decided: whoever
  asked, and the handler.
- ledger.urged (催办, at most once a day) and ledger.withdrawn: the staff of the department.
"""

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from governance import notifications
from governance.ledger.templatetags.ledger import deadline
from governance.models import ExtensionRequest, ExtensionStatus, LedgerItem, Source, Unit
from governance.recipients import closest_staff, staff_above
from governance.registry import Reminder


def _handler(item: LedgerItem) -> list[int]:
    return [item.handler_id] if item.handler_id and item.handler.is_active else []


def _tell(
    kind: str,
    *,
    item: LedgerItem,
    users: Iterable[int],
    actor,
    title: str,
    body: str,
    subject=None,
    **extra,
) -> None:
    users = [u for u in dict.fromkeys(users) if actor is None or u != actor.pk]
    if not users:
        return
    values = {
        "number": item.number,
        "title": item.title,
        "ledger": item.ledger.name,
        "unit": item.responsible_unit.name,
        "due": deadline(item.due_at) or _("not set yet"),
        **extra,
    }
    url = item.get_absolute_url()
    notifications.notify(
        kind,
        [Reminder.about(u, subject or item, title % values, body % values, url) for u in users],
    )


def _staff(unit: Unit) -> list[int]:
    return closest_staff(timezone.localdate(), unit)


def registered(*, item: LedgerItem, actor) -> None:
    users = [*_handler(item), *_staff(item.responsible_unit)]
    if item.source == Source.GRID_VISIT:
        _tell(
            "ledger.reported",
            item=item,
            users=users,
            actor=actor,
            title=_("Problem reported from a grid visit: %(number)s “%(title)s”"),
            body=_("Reported in %(grid)s. Ledger: %(ledger)s. Deadline: %(due)s."),
            grid=item.unit.name,
        )
        return
    _tell(
        "ledger.registered",
        item=item,
        users=users,
        actor=actor,
        title=_("New item for %(unit)s: %(number)s “%(title)s”"),
        body=_("Ledger: %(ledger)s. Deadline: %(due)s."),
    )


def handed_over(*, item: LedgerItem, actor, note: str) -> None:
    _tell(
        "ledger.handed_over",
        item=item,
        users=_staff(item.responsible_unit),
        actor=actor,
        title=_("%(number)s “%(title)s” is handed to %(unit)s"),
        body=_("Handed over by %(sender)s: %(note)s Deadline: %(due)s."),
        sender=item.handed_over_from.name if item.handed_over_from_id else "",
        note=note,
    )


def returned(*, item: LedgerItem, actor, department: Unit, note: str) -> None:
    _tell(
        "ledger.returned",
        item=item,
        users=_staff(item.responsible_unit),
        actor=actor,
        title=_("%(department)s returned %(number)s “%(title)s”"),
        body=_("Reason: %(note)s"),
        department=department.name,
        note=note,
    )


def resolved(*, item: LedgerItem, actor) -> None:
    verifier = item.handed_over_from if item.handed_over_from_id else item.unit
    _tell(
        "ledger.resolved",
        item=item,
        users=_staff(verifier),
        actor=actor,
        title=_("%(number)s “%(title)s” is resolved: awaiting your verification"),
        body=_("%(unit)s reports: %(result)s"),
        result=item.result,
    )


def verify_failed(*, item: LedgerItem, actor, note: str) -> None:
    _tell(
        "ledger.verify_failed",
        item=item,
        users=[*_handler(item), *_staff(item.responsible_unit)],
        actor=actor,
        title=_("Verification of %(number)s “%(title)s” failed: handle it again"),
        body=_("Still not done: %(note)s"),
        note=note,
    )


def reopened(*, item: LedgerItem, actor, note: str) -> None:
    _tell(
        "ledger.reopened",
        item=item,
        users=[*_handler(item), *_staff(item.responsible_unit)],
        actor=actor,
        title=_("The resident is unsatisfied with %(number)s “%(title)s”: it is reopened"),
        body=_("New deadline: %(due)s. %(note)s"),
        note=note,
    )


def extension_requested(*, extension: ExtensionRequest, actor) -> None:
    item = extension.item
    path = item.responsible_unit.path
    # The same kind, subject and words as the daily sweep (ledger.reminders.extension_pending).
    _tell(
        "ledger.extension_pending",
        item=item,
        users=staff_above(timezone.localdate(), [path])[path],
        actor=actor,
        subject=extension,
        title=_("Extension requested for %(number)s “%(title)s”: awaiting your decision"),
        body=_(
            "%(unit)s asks to move the deadline from %(due)s to %(requested)s. Reason: %(reason)s"
        ),
        requested=deadline(extension.requested_due_at),
        reason=extension.reason,
    )


def extension_decided(*, extension: ExtensionRequest, item: LedgerItem, actor) -> None:
    approved = extension.status == ExtensionStatus.APPROVED
    _tell(
        "ledger.extension_decided",
        item=item,
        users=[extension.requested_by_id, *_handler(item)],
        actor=actor,
        subject=extension,
        title=(
            _("Extension approved for %(number)s “%(title)s”: new deadline %(due)s")
            if approved
            else _("Extension refused for %(number)s “%(title)s”: the deadline stays %(due)s")
        ),
        body=_("Note: %(note)s") if extension.decision_note else "",
        note=extension.decision_note,
    )


def urged(*, item: LedgerItem, actor, note: str) -> None:
    _tell(
        "ledger.urged",
        item=item,
        users=_staff(item.responsible_unit),
        actor=actor,
        title=_("Urged (催办): %(number)s “%(title)s”"),
        body=_("%(sender)s asks for progress: %(note)s Deadline: %(due)s."),
        sender=item.handed_over_from.name if item.handed_over_from_id else "",
        note=note,
    )


def withdrawn(*, item: LedgerItem, actor, department: Unit, note: str) -> None:
    _tell(
        "ledger.withdrawn",
        item=item,
        users=_staff(department),
        actor=actor,
        title=_("%(unit)s withdrew %(number)s “%(title)s” from %(department)s"),
        body=_("Reason: %(note)s"),
        department=department.name,
        note=note,
    )
