"""Home page panels of the ground floor, one per kind of user."""

from django.db.models import Count

from governance import access
from governance.models import Person, Role, Unit


def my_grids(request):
    grids = [m.unit for m in access.memberships(request.user) if m.role == Role.GRID_WORKER]
    if not grids:
        return None
    grids = list(
        Unit.objects.filter(pk__in=[g.pk for g in grids]).select_related("parent", "parent__parent")
    )
    return {"grids": grids}


def unit_counts(unit: Unit) -> dict[str, int]:
    """Units below `unit` by level and the people registered there: one query each."""
    by_kind = dict(
        Unit.objects.subtree_of(unit, include_self=False)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    return {
        "townships": by_kind.get(Unit.Kind.TOWNSHIP, 0) + by_kind.get(Unit.Kind.STREET, 0),
        "villages": by_kind.get(Unit.Kind.VILLAGE, 0) + by_kind.get(Unit.Kind.COMMUNITY, 0),
        "grids": by_kind.get(Unit.Kind.GRID, 0),
        "departments": by_kind.get(Unit.Kind.DEPARTMENT, 0),
        "people": Person.objects.within(unit).count(),
    }


def leader(request):
    units = [m.unit for m in access.memberships(request.user) if m.role == Role.LEADER]
    if not units:
        return None
    return {"leader_units": [(unit, unit_counts(unit)) for unit in units]}


STAFF_ROLES = {
    Role.DISTRICT_ADMIN,
    Role.TOWNSHIP_STAFF,
    Role.COMMUNITY_SECRETARY,
    Role.VILLAGE_CADRE,
    Role.DEPARTMENT_HANDLER,
}


def staff(request):
    held = [m for m in access.memberships(request.user) if m.role in STAFF_ROLES]
    if not held and not request.user.is_superuser:
        return None
    units = [m.unit for m in held] or list(Unit.objects.filter(depth=1))
    children = (
        Unit.objects.filter(parent__in=units).order_by().values("parent").annotate(n=Count("pk"))
    )
    child_counts = {row["parent"]: row["n"] for row in children}
    return {
        "staff_memberships": held,
        "staff_units": [(unit, child_counts.get(unit.pk, 0)) for unit in units],
        "can_manage_people": access.can(request.user, "manage_people"),
        "can_manage_units": access.can(request.user, "manage_units"),
    }
