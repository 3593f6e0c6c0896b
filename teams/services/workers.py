"""Community workers."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.models import Person, Unit
from teams.models import (
    CommunityWorker,
    ReserveCadre,
    ReserveSource,
)
from teams.services.checks import allow, require_level, same_district
from teams.services.reserve import reserve_add


@transaction.atomic
def worker_create(
    *, actor, person: Person, community: Unit, started_on: datetime.date, post: str = ""
) -> CommunityWorker:
    allow(actor, community)
    require_level(community, (3,), "community")
    same_district(community, person.unit, "person")
    if CommunityWorker.objects.filter(person=person).exists():
        raise ValidationError({"person": _("This person is already a community worker.")})
    return CommunityWorker.objects.create(
        person=person, community=community, started_on=started_on, post=post
    )


@transaction.atomic
def worker_update(*, actor, worker: CommunityWorker, **fields) -> CommunityWorker:
    allow(actor, worker.community)
    for name in ("post", "started_on", "is_active"):
        if name in fields:
            setattr(worker, name, fields[name])
    worker.save()
    return worker


def worker_to_reserve(
    *, actor, worker: CommunityWorker, education: str, on: datetime.date
) -> ReserveCadre:
    """One step: an outstanding community worker joins their community's reserve."""
    return reserve_add(
        actor=actor,
        village=worker.community,
        person=worker.person,
        education=education,
        source=ReserveSource.COMMUNITY_WORKER,
        added_on=on,
        note=_("Outstanding community worker"),
    )
