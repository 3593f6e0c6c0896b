"""What the teams tests build their rows with: whom the setup acts as (every teams service
checks its actor: the administrator of the unit's district) and one row of a score sheet."""

from decimal import Decimal

from governance.models import Membership, Role, Unit
from teams.models import ScoreCriterion


def district_admin(unit: Unit):
    return (
        Membership.objects.filter(role=Role.DISTRICT_ADMIN, unit__path=unit.path[: Unit.steplen])
        .select_related("user")
        .order_by("pk")
        .first()
        .user
    )


def sheet_row(worker, first, second, version=None):
    criteria = list(
        ScoreCriterion.objects.filter(district__path=worker.community.path[: Unit.steplen])
    )
    return {
        "worker": worker,
        "version": version,
        "points": {criteria[0].pk: Decimal(first), criteria[1].pk: Decimal(second)},
    }
