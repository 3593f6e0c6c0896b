"""Whom a test's setup acts as when it writes teams rows (every teams service checks its
actor): the administrator of the unit's district."""

from governance.models import Membership, Role, Unit


def district_admin(unit: Unit):
    return (
        Membership.objects.filter(role=Role.DISTRICT_ADMIN, unit__path=unit.path[: Unit.steplen])
        .select_related("user")
        .order_by("pk")
        .first()
        .user
    )
