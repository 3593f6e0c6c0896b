"""Who is told: the staff of units, for every reminder sweep and every notice of a step.

"Staff" of a unit: current memberships at that very unit whose role holds "handle_items"
(governance.access.CAPABILITIES), of active accounts. A unit without staff does not swallow
a message: it goes to the closest level above that has any.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q

from governance import access
from governance.models import Membership, Unit

HANDLER_ROLES = tuple(
    sorted(role for role, caps in access.CAPABILITIES.items() if "handle_items" in caps)
)


def staff_by_unit(
    today: datetime.date, unit_filter: Q, key: str = "unit_id", roles: tuple = HANDLER_ROLES
) -> dict:
    """{unit id or path: [user ids]} of the staff of the units matching `unit_filter`."""
    staff = defaultdict(list)
    rows = (
        Membership.objects.current(today)
        .filter(unit_filter, role__in=roles, user__is_active=True)
        .values_list(key, "user_id")
        .order_by(key, "user_id")
        .distinct()
    )
    for unit, user in rows:
        staff[unit].append(user)
    return staff


def staff_of(
    today: datetime.date, unit_ids: Iterable[int], roles: Iterable[str] = HANDLER_ROLES
) -> dict[int, list[int]]:
    """{unit id: [user ids]} of the current staff (by default: the roles that handle items) of
    exactly these units, active accounts only."""
    return staff_by_unit(today, Q(unit_id__in=list(unit_ids)), "unit_id", roles=tuple(roles))


def ancestors(path: str) -> list[str]:
    """Strict ancestors' paths, closest first."""
    step = Unit.steplen
    return [path[:i] for i in range(len(path) - step, 0, -step)]


def staff_above(today: datetime.date, paths: Iterable[str]) -> dict[str, list[int]]:
    """{unit path: staff of the closest strict ancestor that has any}."""
    paths = set(paths)
    wanted = {a for p in paths for a in ancestors(p)}
    staff = staff_by_unit(today, Q(unit__path__in=wanted), "unit__path") if wanted else {}
    return {path: next((staff[a] for a in ancestors(path) if staff.get(a)), []) for path in paths}


def closest_staff(today: datetime.date, unit: Unit) -> list[int]:
    """The staff of `unit`, or of the closest unit above it that has any (a grid: its
    community), in one query."""
    paths = [unit.path, *ancestors(unit.path)]
    staff = staff_by_unit(today, Q(unit__path__in=paths), "unit__path")
    return next((staff[p] for p in paths if staff.get(p)), [])
