"""Writes of liaison duties. Keyword-only, one transaction each.

`duty_assign` infers the tier from what is covered and refuses a holder of the wrong
level (a village cadre cannot cover a township); `duty_reassign` ends a duty the day before
the successor starts and links the two, so the history stays; `duty_end` ends one.
Who may assign: staff managing people over the holder's unit (district admins for district
leaders, township staff for township officials, the village secretary for village cadres).

"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from governance import access
from governance.models import Person, Unit, WorkZone
from governance.normalize import clean_text
from grids.models import Household
from outreach.models import (
    DutyTier,
    Frequency,
    LiaisonDuty,
)

TOWNSHIP_KINDS = (Unit.Kind.TOWNSHIP, Unit.Kind.STREET)
VILLAGE_KINDS = (Unit.Kind.VILLAGE, Unit.Kind.COMMUNITY)


# Duties -------------------------------------------------------------------------------------


def may_assign(user, holder: Person) -> bool:
    return access.can(user, "manage_people", holder.unit)


def _tier_of(holder: Person, target_unit, target_zone, households) -> tuple[str, Unit]:
    """(tier, scope unit) of a duty, or a ValidationError saying what this holder may cover."""
    unit = holder.unit
    given = [x for x in (target_unit, target_zone, households or None) if x is not None]
    if len(given) != 1:
        raise ValidationError(_("A duty covers one township, work zone, village or households."))
    if unit.kind == Unit.Kind.DISTRICT:
        if (
            target_unit is not None
            and target_unit.kind in TOWNSHIP_KINDS
            and target_unit.is_within(unit)
        ):
            return DutyTier.TOWNSHIP, target_unit
        raise ValidationError(
            _("%(name)s works at the district: a district leader covers a township or street.")
            % {"name": holder.name}
        )
    if unit.kind in TOWNSHIP_KINDS:
        if target_zone is not None and target_zone.township_id == unit.pk:
            return DutyTier.WORK_ZONE, unit
        if (
            target_unit is not None
            and target_unit.kind in VILLAGE_KINDS
            and target_unit.parent_id == unit.pk
        ):
            return DutyTier.VILLAGE, target_unit
        raise ValidationError(
            _(
                "%(name)s works at %(unit)s: a township person covers a work zone or a village "
                "or community of %(unit)s."
            )
            % {"name": holder.name, "unit": unit.name}
        )
    if unit.kind in VILLAGE_KINDS:
        if households and all(h.is_active and h.grid.is_within(unit) for h in households):
            return DutyTier.HOUSEHOLDS, unit
        raise ValidationError(
            _(
                "%(name)s is a cadre of %(unit)s: a village or community cadre covers "
                "households of %(unit)s."
            )
            % {"name": holder.name, "unit": unit.name}
        )
    raise ValidationError(
        _("Only district, township and village or community people hold liaison duties.")
    )


@transaction.atomic
def duty_assign(
    *,
    holder: Person,
    actor,
    starts_on: datetime.date,
    target_unit: Unit | None = None,
    target_zone: WorkZone | None = None,
    households=(),
    frequency: str = "",
    note: str = "",
    previous: LiaisonDuty | None = None,
) -> LiaisonDuty:
    if actor is not None and not may_assign(actor, holder):
        raise PermissionDenied(_("You may not assign duties to %(name)s.") % {"name": holder.name})
    households = list(households)
    if households:
        households = list(
            Household.objects.filter(pk__in=[h.pk for h in households]).select_related("grid")
        )
    tier, scope_unit = _tier_of(holder, target_unit, target_zone, households)
    if frequency and frequency not in Frequency.values:
        raise ValidationError(_("Choose weekly, monthly or quarterly."))
    if starts_on is None:
        raise ValidationError(_("Say from when the duty runs."))
    duty = LiaisonDuty(
        holder=holder,
        tier=tier,
        scope_unit=scope_unit,
        target_unit=target_unit,
        target_zone=target_zone,
        starts_on=starts_on,
        frequency=frequency,
        note=clean_text(note)[:200],
        previous=previous,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            duty.save()
    except IntegrityError:
        raise ValidationError(
            _("%(name)s already holds this duty.") % {"name": holder.name}
        ) from None
    if households:
        duty.households.set(households)
    return duty


def _lock(duty: LiaisonDuty) -> LiaisonDuty:
    return (
        LiaisonDuty.objects.select_for_update(of=("self",))
        .select_related("holder", "holder__unit", "scope_unit", "target_unit", "target_zone")
        .get(pk=duty.pk)
    )


def _check_can_end(duty: LiaisonDuty, actor, on: datetime.date) -> None:
    if actor is not None and not may_assign(actor, duty.holder):
        raise PermissionDenied(_("You may not change this duty."))
    if duty.ends_on is not None:
        raise ValidationError(_("This duty has already ended."))
    if on < duty.starts_on:
        raise ValidationError(_("A duty cannot end before it starts."))


@transaction.atomic
def duty_end(*, duty: LiaisonDuty, actor, on: datetime.date) -> LiaisonDuty:
    """End the duty on `on` (its last day)."""
    duty = _lock(duty)
    _check_can_end(duty, actor, on)
    duty.ends_on = on
    duty.save(update_fields=["ends_on"])
    return duty


@transaction.atomic
def duty_reassign(
    *, duty: LiaisonDuty, holder: Person, actor, starts_on: datetime.date, note: str = ""
) -> LiaisonDuty:
    """The new holder takes over on `starts_on`; the old duty ends the day before."""
    duty = _lock(duty)
    if holder.pk == duty.holder_id:
        raise ValidationError(_("Choose someone other than the present holder."))
    if starts_on <= duty.starts_on:
        raise ValidationError(_("The new holder takes over after the duty started."))
    _check_can_end(duty, actor, starts_on - datetime.timedelta(days=1))
    duty.ends_on = starts_on - datetime.timedelta(days=1)
    duty.save(update_fields=["ends_on"])
    return duty_assign(
        holder=holder,
        actor=actor,
        starts_on=starts_on,
        target_unit=duty.target_unit,
        target_zone=duty.target_zone,
        households=list(duty.households.all()),
        frequency=duty.frequency,
        note=note,
        previous=duty,
    )


def duty_history(duty: LiaisonDuty) -> list[LiaisonDuty]:
    """Every holder of the same duty, first to last (the chain of reassignments)."""
    chain = [duty]
    seen = {duty.pk}
    while chain[0].previous_id and chain[0].previous_id not in seen:
        chain.insert(0, LiaisonDuty.objects.select_related("holder").get(pk=chain[0].previous_id))
        seen.add(chain[0].pk)
    while True:
        nxt = LiaisonDuty.objects.filter(previous=chain[-1]).select_related("holder").first()
        if nxt is None or nxt.pk in seen:
            return chain
        chain.append(nxt)
        seen.add(nxt.pk)


# What a duty covers -------------------------------------------------------------------------


def covers(duty: LiaisonDuty, unit: Unit, work_zone_id, household_ids: set[int], duty_households):
    """Does an activity over `unit` (zone, households) count as a contact under `duty`?"""
    if duty.tier in (DutyTier.TOWNSHIP, DutyTier.VILLAGE):
        return unit.is_within(duty.target_unit)
    if duty.tier == DutyTier.WORK_ZONE:
        return work_zone_id is not None and work_zone_id == duty.target_zone_id
    return bool(household_ids & duty_households)


def holder_duties(user, on: datetime.date):
    person = getattr(user, "person", None) if user.is_authenticated else None
    if person is None:
        return LiaisonDuty.objects.none()
    return (
        LiaisonDuty.objects.current(on)
        .filter(holder=person)
        .select_related("target_unit", "target_zone", "scope_unit")
    )


def covered_by_own_duty(user, unit: Unit, on: datetime.date) -> bool:
    for duty in holder_duties(user, on):
        if duty.tier == DutyTier.WORK_ZONE:
            if unit.work_zone_id == duty.target_zone_id or (
                unit.pk == duty.target_zone.township_id
            ):
                return True
        elif duty.tier == DutyTier.HOUSEHOLDS:
            if unit.is_within(duty.scope_unit):
                return True
        elif unit.is_within(duty.target_unit):
            return True
    return False
