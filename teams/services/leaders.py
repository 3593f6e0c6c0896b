"""Village Party leaders."""

from django.db import transaction

from teams.models import (
    VillageLeader,
)
from teams.services.checks import allow, require_level, same_district


@transaction.atomic
def leader_save(*, actor, leader: VillageLeader | None = None, **fields) -> VillageLeader:
    if leader is not None:
        allow(actor, leader.village)
    leader = leader or VillageLeader()
    for name, value in fields.items():
        setattr(leader, name, value)
    allow(actor, leader.village)
    require_level(leader.village, (3,), "village")
    same_district(leader.village, leader.person.unit, "person")
    leader.full_clean()
    leader.save()
    return leader
