"""Who holds which role where, and what a role may do.

The memberships of the signed-in user are loaded once per request and kept on the user
object, so scope checks in a page cost one query whatever the page shows. Loading them belongs
to the scope mechanism (governance.querysets, which the models use); this module offers them
with the capabilities, and imports nothing that imports it back.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from governance.querysets import forget, memberships, scope_paths

__all__ = [
    "CAPABILITIES",
    "can",
    "forget",
    "has_role",
    "may_appoint",
    "memberships",
    "primary_unit",
    "require",
    "roles",
    "scope_paths",
    "units_where",
]

# handle_items: act on ledger items of the unit (accept, resolve, hand over, …); held strictly
# above a unit, it also approves that unit's extension requests. create_items: register items.
# manage_households: keep the household register of the grids below (grid workers: their own).
# assign_grid_workers: post grid workers to the grids below and take them off.
# manage_catalogues: keep the district's catalogues (care tags, matters, …; governance.catalogues).
CAPABILITIES: dict[str, frozenset[str]] = {
    "district_admin": frozenset(
        {
            "assign_grid_workers",
            "manage_units",
            "manage_people",
            "manage_households",
            "manage_memberships",
            "view_personal_data",
            "export",
            "view_figures",
            "handle_items",
            "create_items",
            "manage_ledgers",
            "manage_catalogues",
        }
    ),
    "leader": frozenset({"view_figures", "export"}),
    "township_staff": frozenset(
        {
            "assign_grid_workers",
            "manage_units",
            "manage_people",
            "manage_households",
            "manage_memberships",
            "export",
            "view_figures",
            "handle_items",
            "create_items",
            "manage_ledgers",
        }
    ),
    "community_secretary": frozenset(
        {
            "assign_grid_workers",
            "manage_people",
            "manage_households",
            "view_personal_data",
            "export",
            "view_figures",
            "handle_items",
            "create_items",
            "manage_ledgers",
        }
    ),
    "village_cadre": frozenset(
        {
            "manage_people",
            "manage_households",
            "view_personal_data",
            "export",
            "handle_items",
            "create_items",
        }
    ),
    "grid_worker": frozenset({"view_personal_data", "create_items", "manage_households"}),
    "department_handler": frozenset(
        {"handle_items", "view_personal_data", "export", "view_figures"}
    ),
}


def roles(user) -> set[str]:
    return {m.role for m in memberships(user)}


def has_role(user, *wanted: str) -> bool:
    return bool(roles(user) & set(wanted))


def require(user, capability: str, unit=None, *, strictly_above: bool = False) -> None:
    """The one permission check of services and views: refuse (PermissionDenied, "your role
    does not allow this") what `can` does not allow. `user` None is the system acting (the demo,
    a task): allowed."""
    if user is not None and not can(user, capability, unit, strictly_above=strictly_above):
        raise PermissionDenied(_("Your role does not allow this."))


def can(user, capability: str, unit=None, *, strictly_above: bool = False) -> bool:
    """Does the user hold `capability` over `unit` (or anywhere, when unit is None)?

    With strictly_above, the role must be held at an ancestor of the unit: a township's staff
    may edit the villages below it but not the township itself.
    """
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    for membership in memberships(user):
        if capability not in CAPABILITIES.get(membership.role, ()):
            continue
        if unit is None:
            return True
        held = membership.unit.path
        if unit.path.startswith(held) and not (strictly_above and unit.path == held):
            return True
    return False


def may_appoint(user, unit) -> bool:
    """May the user give or end roles at `unit`? Only from the level above it (a township's
    staff appoint in its communities and grids, not their own colleagues), or as the
    administrator of the district, who appoints at every level of it, the district included."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return can(user, "manage_memberships", unit, strictly_above=True) or any(
        m.role == "district_admin" and unit.path.startswith(m.unit.path) for m in memberships(user)
    )


def units_where(user, capability: str) -> list:
    return [m.unit for m in memberships(user) if capability in CAPABILITIES.get(m.role, ())]


def primary_unit(user):
    """The unit a user's pages start from: the highest unit they hold a role at."""
    held = memberships(user)
    return min(held, key=lambda m: (m.unit.depth, m.unit.path)).unit if held else None
