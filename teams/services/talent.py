"""The talent registry and talent service requests."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.models import Person, Unit
from teams.models import (
    Talent,
    TalentRequest,
)
from teams.services.checks import allow, require_level, same_district, transition


@transaction.atomic
def talent_register(*, actor, unit: Unit, person: Person, **fields) -> Talent:
    allow(actor, unit)
    require_level(unit, (1, 2, 3), "unit")
    same_district(unit, person.unit, "person")
    if Talent.objects.filter(unit=unit, person=person).exists():
        raise ValidationError({"person": _("This person is already on the registry.")})
    talent = Talent(unit=unit, person=person, **fields)
    talent.full_clean()
    talent.save()
    return talent


@transaction.atomic
def talent_request_create(*, actor, talent: Talent, **fields) -> TalentRequest:
    allow(actor, talent.unit)
    request = TalentRequest(talent=talent, **fields)
    if request.kind == TalentRequest.Kind.HOME_LOAN and not request.amount:
        raise ValidationError({"amount": _("Give the amount of the loan applied for.")})
    request.full_clean()
    request.save()
    return request


def talent_request_transition(
    *, actor, request: TalentRequest, to: str, on: datetime.date, note: str = ""
) -> TalentRequest:
    allow(actor, request.talent.unit)
    extra = {}
    if to in (TalentRequest.Status.APPROVED, TalentRequest.Status.REJECTED):
        extra["decided_on"] = on
    if note:
        extra["note"] = note[:200]
    transition(TalentRequest, request, to, TalentRequest.TRANSITIONS, extra)
    return request
