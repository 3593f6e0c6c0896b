"""Writes of liaison duties and contact activities. Keyword-only, one transaction each.

Duties: `duty_assign` infers the tier from what is covered and refuses a holder of the wrong
level (a village cadre cannot cover a township); `duty_reassign` ends a duty the day before
the successor starts and links the two, so the history stays; `duty_end` ends one.
Who may assign: staff managing people over the holder's unit (district admins for district
leaders, township staff for township officials, the village secretary for village cadres).

Activities: `activity_file` writes the activity, its photos, the duties it counts under
(outreach.periods_duties) and one ledger item per problem raised, all or nothing.
Problems go to the covered unit's ledger named CONTACT_LEDGER_NAME (kind "general"), created
on first use, with source "contact activity" and the activity as source record.
Who may file: staff registering items over the covered unit (create_items), and duty holders
(their own account) over a unit their current duty covers.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import access
from governance.ledger import services as ledger_services
from governance.models import Ledger, LedgerItem, LedgerKind, Person, Source, Unit, WorkZone
from governance.normalize import clean_text
from grids.models import Household
from outreach.models import (
    ActivityPhoto,
    ActivityProblem,
    ContactActivity,
    ContactSystem,
    DutyContact,
    DutyTier,
    Frequency,
    LiaisonDuty,
)

CONTACT_LEDGER_NAME = "联系群众问题台账"
MAX_PHOTOS = 6
MAX_PROBLEMS = 20
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


# Activities ---------------------------------------------------------------------------------


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


def may_file(user, unit: Unit, on: datetime.date | None = None) -> bool:
    on = on or timezone.localdate()
    return access.can(user, "create_items", unit) or covered_by_own_duty(user, unit, on)


def contact_ledger(unit: Unit) -> Ledger:
    """The covered unit's ledger of problems raised in contact activities (made on first use)."""
    ledger, _created = Ledger.objects.get_or_create(
        unit=unit,
        name=CONTACT_LEDGER_NAME,
        defaults={"kind": LedgerKind.GENERAL, "prefix": f"LX{unit.pk}"},
    )
    return ledger


def _received_at(held_on: datetime.date) -> datetime.datetime:
    now = timezone.now()
    if held_on >= timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.datetime.combine(held_on, datetime.time(17, 0)))


def _participant_ok(actor, person: Person, unit: Unit, on) -> bool:
    if getattr(actor, "person", None) == person or actor.is_superuser:
        return True
    if Person.objects.for_user(actor).filter(pk=person.pk).exists():
        return True
    # The holder of a duty over the unit (a district leader visiting a township's village).
    return any(
        covers(d, unit, unit.work_zone_id, set(), set())
        for d in LiaisonDuty.objects.current(on)
        .filter(holder=person)
        .exclude(tier=DutyTier.HOUSEHOLDS)
        .select_related("target_unit")
    )


def _check_activity(*, actor, system, unit, leader, attendees, households, held_on, work_zone):
    if system not in ContactSystem.values:
        raise ValidationError(_("Choose one of the four contact systems."))
    if unit.kind not in (*TOWNSHIP_KINDS, *VILLAGE_KINDS):
        raise ValidationError(_("An activity covers a township, street, village or community."))
    if held_on is None:
        raise ValidationError(_("Say when the activity was held."))
    if held_on > timezone.localdate():
        raise ValidationError(_("An activity cannot be filed for a day in the future."))
    if held_on < datetime.date(2000, 1, 1):
        raise ValidationError(_("The date is too far in the past."))
    if not may_file(actor, unit, held_on):
        raise PermissionDenied(_("You may not file activities for %(unit)s.") % {"unit": unit.name})
    if work_zone is not None and work_zone.township_id not in (unit.pk, unit.parent_id):
        raise ValidationError(_("The work zone is not in %(unit)s.") % {"unit": unit.name})
    for person in [leader, *attendees]:
        if not _participant_ok(actor, person, unit, held_on):
            raise ValidationError(
                _("%(name)s is not someone you may record in this activity.")
                % {"name": person.name}
            )
    for household in households:
        if not household.grid.is_within(unit):
            raise ValidationError(
                _("The household %(place)s is not in %(unit)s.")
                % {"place": household.place, "unit": unit.name}
            )


@transaction.atomic
def activity_file(
    *,
    actor,
    system: str,
    unit: Unit,
    leader: Person,
    held_on: datetime.date,
    summary: str,
    people_reached: int = 0,
    attendees=(),
    households=(),
    work_zone: WorkZone | None = None,
    place: str = "",
    reached_names: str = "",
    problems=(),
    photos=(),
) -> tuple[ContactActivity, list[LedgerItem]]:
    """File an activity; each problem raised becomes an item in the covered unit's ledger."""
    attendees = [p for p in dict.fromkeys(attendees) if p != leader]
    households = list(
        Household.objects.filter(pk__in=[h.pk for h in households]).select_related("grid")
    )
    if work_zone is None and unit.kind in VILLAGE_KINDS:
        work_zone = unit.work_zone
    _check_activity(
        actor=actor,
        system=system,
        unit=unit,
        leader=leader,
        attendees=attendees,
        households=households,
        held_on=held_on,
        work_zone=work_zone,
    )
    summary = (summary or "").strip()
    problems = [clean_text(p) for p in problems if clean_text(p)]
    if not summary:
        raise ValidationError(_("Write a short summary of the activity."))
    if people_reached is None or people_reached < 0:
        raise ValidationError(_("The number of people reached cannot be negative."))
    if len(problems) > MAX_PROBLEMS:
        raise ValidationError(
            _("Raise at most %(max)s problems from one activity.") % {"max": MAX_PROBLEMS}
        )
    if any(len(p) > 200 for p in problems):
        raise ValidationError(_("Keep each problem to one line of at most 200 characters."))
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(_("Attach at most %(max)s photos.") % {"max": MAX_PHOTOS})
    activity = ContactActivity.objects.create(
        system=system,
        unit=unit,
        work_zone=work_zone,
        leader=leader,
        held_on=held_on,
        place=clean_text(place)[:100],
        people_reached=people_reached,
        reached_names=clean_text(reached_names),
        summary=summary,
        created_by=actor,
    )
    if attendees:
        activity.attendees.set(attendees)
    if households:
        activity.households.set(households)
    for photo in photos:
        ActivityPhoto.objects.create(activity=activity, image=photo)
    link_duties(activity, [leader, *attendees], {h.pk for h in households})
    items = []
    if problems:
        ledger = contact_ledger(unit)
        registers = access.can(actor, "create_items", unit)
        for title in problems:
            item = ledger_services.item_create(
                ledger=ledger,
                title=title,
                unit=unit,
                actor=actor if registers else None,
                source=Source.CONTACT_ACTIVITY,
                source_record=activity,
                description=summary,
                received_at=_received_at(held_on),
            )
            if not registers:
                LedgerItem.objects.filter(pk=item.pk).update(created_by=actor)
                item.created_by = actor
            ActivityProblem.objects.create(activity=activity, item=item)
            items.append(item)
    return activity, items


def link_duties(activity: ContactActivity, people, household_ids: set[int]) -> list[DutyContact]:
    """Count the activity under every current duty of its people whose target it covers."""
    duties = list(
        LiaisonDuty.objects.current(activity.held_on)
        .filter(holder__in=[p.pk for p in people])
        .select_related("target_unit")
    )
    group_ids = [d.pk for d in duties if d.tier == DutyTier.HOUSEHOLDS]
    members: dict[int, set[int]] = {pk: set() for pk in group_ids}
    if group_ids and household_ids:
        through = LiaisonDuty.households.through
        for duty_id, household_id in through.objects.filter(
            liaisonduty_id__in=group_ids, household_id__in=household_ids
        ).values_list("liaisonduty_id", "household_id"):
            members[duty_id].add(household_id)
    links = [
        DutyContact(duty=d, activity=activity, held_on=activity.held_on)
        for d in duties
        if covers(d, activity.unit, activity.work_zone_id, household_ids, members.get(d.pk, set()))
    ]
    return DutyContact.objects.bulk_create(links, ignore_conflicts=True)


def activity_items(activity: ContactActivity):
    """The ledger items raised in this activity."""
    return LedgerItem.objects.filter(contact_activity_link__activity=activity).order_by("pk")
