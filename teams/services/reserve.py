"""Reserve cadres of the villages and communities."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from governance.models import Person, Unit
from teams.models import (
    ReserveCadre,
)
from teams.services.checks import allow, require_level, same_district


@transaction.atomic
def reserve_add(
    *,
    actor,
    village: Unit,
    person: Person,
    education: str,
    source: str,
    added_on: datetime.date,
    note: str = "",
) -> ReserveCadre:
    allow(actor, village)
    require_level(village, (3,), "village")
    same_district(village, person.unit, "person")
    if ReserveCadre.objects.active().filter(village=village, person=person).exists():
        raise ValidationError(
            {
                "person": _("%(name)s is already a reserve cadre of %(village)s.")
                % {"name": person.name, "village": village.name}
            }
        )
    cadre = ReserveCadre(
        village=village,
        person=person,
        education=education,
        source=source,
        added_on=added_on,
        note=note,
    )
    cadre.full_clean(exclude=["village", "person"])
    try:
        with transaction.atomic():
            cadre.save()
    except IntegrityError:
        raise ValidationError(
            {
                "person": _("%(name)s is already a reserve cadre of %(village)s.")
                % {"name": person.name, "village": village.name}
            }
        ) from None
    return cadre


def reserve_remove(*, actor, cadre: ReserveCadre, on: datetime.date) -> ReserveCadre:
    allow(actor, cadre.village)
    if on < cadre.added_on:
        raise ValidationError(_("A cadre cannot leave the reserve before joining it."))
    updated = ReserveCadre.objects.filter(pk=cadre.pk, removed_on__isnull=True).update(
        removed_on=on
    )
    if not updated:
        raise ValidationError(_("This cadre has already left the reserve."))
    cadre.removed_on = on
    return cadre
