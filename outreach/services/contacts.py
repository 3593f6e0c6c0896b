"""Writes of contact activities (联系服务群众). Keyword-only, one transaction each.

`activity_file` writes the activity, its photos, the duties it counts under
(outreach.figures.duties) and one ledger item per problem raised, all or nothing.
Problems go to the covered unit's ledger named CONTACT_LEDGER_NAME (kind "general"), created
on first use, with source "contact activity" and the activity as source record.
Who may file: staff registering items over the covered unit (create_items), and duty holders
(their own account) over a unit their current duty covers.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
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
    LiaisonDuty,
)
from outreach.services.duties import TOWNSHIP_KINDS, VILLAGE_KINDS, covered_by_own_duty, covers

CONTACT_LEDGER_NAME = "联系群众问题台账"
MAX_PHOTOS = 6
MAX_PROBLEMS = 20


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
