"""Which step of an item's lifecycle is allowed from which status, and for whom.

The table is the single definition of the lifecycle: services refuse what it does not allow
and pages show only the buttons it allows.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from governance import access
from governance.models import DONE_STATUSES, OPEN_STATUSES, LedgerItem, Status, Unit

S = Status


@dataclass(frozen=True)
class Step:
    label: str
    from_statuses: tuple[str, ...]
    #: Who may take the step: "responsible" (staff of the responsible unit or above, or the
    #: handler), "origin" (staff where the item arose or above), "above" (staff strictly
    #: above the responsible unit), "department" (a handler of the responsible department),
    #: "sender" (staff of the unit that handed the item to the department, or above).
    who: str


STEPS: dict[str, Step] = {
    "accept": Step(_("Accept"), (S.RECEIVED, S.HANDED_OVER), "responsible"),
    "start": Step(_("Start handling"), (S.RECEIVED, S.ACCEPTED), "responsible"),
    "plan": Step(_("Set measures and deadline"), OPEN_STATUSES, "responsible"),
    "edit": Step(_("Edit"), OPEN_STATUSES, "responsible"),
    "reply": Step(_("Reply to the resident"), OPEN_STATUSES, "responsible"),
    "hand_over": Step(
        _("Hand to a department"), (S.RECEIVED, S.ACCEPTED, S.IN_PROGRESS), "territory"
    ),
    "return": Step(
        _("Return: not our matter"), (S.HANDED_OVER, S.ACCEPTED, S.IN_PROGRESS), "department"
    ),
    "urge": Step(_("Urge (催办)"), (S.HANDED_OVER, S.ACCEPTED, S.IN_PROGRESS), "sender"),
    "withdraw": Step(
        _("Withdraw from the department"), (S.HANDED_OVER, S.ACCEPTED, S.IN_PROGRESS), "sender"
    ),
    "resolve": Step(_("Mark resolved"), (S.ACCEPTED, S.IN_PROGRESS), "responsible"),
    "verify": Step(_("Verify"), (S.RESOLVED,), "origin"),
    "verify_fail": Step(_("Verification failed"), (S.RESOLVED,), "origin"),
    "satisfaction": Step(_("Record satisfaction"), (S.VERIFIED,), "origin"),
    "explain": Step(_("Close with an explanation"), (*OPEN_STATUSES, S.RESOLVED), "responsible"),
    "extension_request": Step(_("Request an extension"), OPEN_STATUSES, "responsible"),
    "extension_decide": Step(_("Decide on the extension"), OPEN_STATUSES, "above"),
    "attach": Step(_("Add an attachment"), (*OPEN_STATUSES, *DONE_STATUSES), "responsible"),
}


def _staff_at(user, unit: Unit, *, strictly_above: bool = False) -> bool:
    return access.can(user, "handle_items", unit, strictly_above=strictly_above)


def may(user, step: str, item: LedgerItem) -> bool:
    """Is `user` allowed to take `step` on `item` in its current status?"""
    rule = STEPS[step]
    if item.status not in rule.from_statuses:
        return False
    if user is None:  # the system (sweeps) acts only through services that need no check
        return False
    responsible = item.responsible_unit
    is_department = responsible.kind == Unit.Kind.DEPARTMENT
    if rule.who == "responsible":
        return item.handler_id == user.pk or _staff_at(user, responsible)
    if rule.who == "territory":
        return not is_department and (item.handler_id == user.pk or _staff_at(user, responsible))
    if rule.who == "department":
        return is_department and _staff_at(user, responsible)
    if rule.who == "sender":
        sender = item.handed_over_from
        return is_department and sender is not None and _staff_at(user, sender)
    if rule.who == "origin":
        return _staff_at(user, item.unit)
    if rule.who == "above":
        return _staff_at(user, responsible, strictly_above=True)
    raise ValueError(rule.who)


def allowed_steps(user, item: LedgerItem) -> list[str]:
    return [name for name in STEPS if may(user, name, item)]
