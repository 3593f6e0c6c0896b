"""Writes of the reception day: schedules, sessions and the demands received at them.

Who may do what (governance.access capabilities, held at the community or above it)
- manage_ledgers: set the community's reception-day schedule.
- create_items: record a session and enter its demands (handle_items too for a demand answered
  on the spot, since that replies to and resolves the ledger item).

A demand is a LedgerItem of the community's reception-day ledger written through
governance.ledger.services, never a copy: answered on the spot it is created, replied and
resolved in one transaction; otherwise it is entered with its measures and deadline.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import access
from governance.ledger import services as ledger_services
from governance.models import Ledger, LedgerKind, MatterCategory, Person, Source, Unit
from outreach.models import ReceptionDemand, ReceptionSchedule, ReceptionSession

COMMUNITY_KINDS = (Unit.Kind.COMMUNITY, Unit.Kind.VILLAGE)


def _check_community(unit: Unit) -> None:
    if unit.kind not in COMMUNITY_KINDS:
        raise ValidationError(_("Reception days are held by communities and villages."))


def current_schedule(community: Unit) -> ReceptionSchedule | None:
    return ReceptionSchedule.objects.filter(community=community).current().first()


@transaction.atomic
def schedule_set(
    *,
    community: Unit,
    weekday: int,
    start_time: datetime.time,
    end_time: datetime.time,
    place: str,
    secretary: Person | None,
    valid_from: datetime.date,
    actor,
) -> ReceptionSchedule:
    """A new schedule from `valid_from`; the current one ends that day and stays in the history.
    A change dated the same day as the current schedule corrects it in place."""
    _check_community(community)
    access.require(actor, "manage_ledgers", community)
    if not 0 <= weekday <= 4:
        raise ValidationError(_("The reception day is a weekday, Monday to Friday."))
    if end_time <= start_time:
        raise ValidationError(_("The reception ends after it starts."))
    place = " ".join((place or "").split())
    if not place:
        raise ValidationError(_("Say where the reception is held."))
    if secretary is not None and not secretary.unit.path.startswith(
        community.path[: community.steplen]
    ):
        raise ValidationError(_("Choose a person of this district."))
    current = (
        ReceptionSchedule.objects.select_for_update().filter(community=community).current().first()
    )
    values = {
        "weekday": weekday,
        "start_time": start_time,
        "end_time": end_time,
        "place": place,
        "secretary": secretary,
    }
    if current is not None:
        if valid_from < current.valid_from:
            raise ValidationError(
                _("The current schedule is valid from %(day)s; a change cannot start earlier.")
                % {"day": current.valid_from.isoformat()}
            )
        if valid_from == current.valid_from:
            for name, value in values.items():
                setattr(current, name, value)
            current.save()
            return current
        current.valid_until = valid_from
        current.save(update_fields=["valid_until"])
    return ReceptionSchedule.objects.create(
        community=community, valid_from=valid_from, created_by=actor, **values
    )


def reception_ledger(community: Unit) -> Ledger:
    ledger = (
        Ledger.objects.filter(unit=community, kind=LedgerKind.RECEPTION_DAY, is_active=True)
        .order_by("pk")
        .first()
    )
    if ledger is None:
        raise ValidationError(
            _("%(unit)s has no reception-day ledger yet; ask the district to set one up.")
            % {"unit": community.name}
        )
    return ledger


def session_record(
    *,
    community: Unit,
    date: datetime.date,
    actor,
    held_by: Person | None = None,
    attendance: int = 0,
    note: str = "",
) -> ReceptionSession:
    _check_community(community)
    access.require(actor, "create_items", community)
    if date > timezone.localdate():
        raise ValidationError(_("A session is recorded on the day or after it, not before."))
    if attendance < 0:
        raise ValidationError(_("The number of residents cannot be negative."))
    schedule = ReceptionSchedule.objects.filter(community=community).valid_on(date).first()
    try:
        with transaction.atomic():
            return ReceptionSession.objects.create(
                community=community,
                date=date,
                schedule=schedule,
                held_by=held_by or (schedule.secretary if schedule else None),
                attendance=attendance,
                note=note.strip(),
                recorded_by=actor,
            )
    except IntegrityError:
        raise ValidationError(
            _("The reception day of %(unit)s on %(day)s is already recorded.")
            % {"unit": community.name, "day": date.isoformat()}
        ) from None


def _received_at(session: ReceptionSession) -> datetime.datetime:
    """Now for today's session; for one recorded afterwards, the start of the reception."""
    if session.date == timezone.localdate():
        return timezone.now()
    start = session.schedule.start_time if session.schedule else datetime.time(9)
    return timezone.make_aware(datetime.datetime.combine(session.date, start))


def _end_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    )


@transaction.atomic
def demand_add(
    *,
    session: ReceptionSession,
    actor,
    title: str,
    description: str = "",
    resident_name: str = "",
    resident_phone: str = "",
    category: MatterCategory | None = None,
    answered_on_spot: bool = False,
    reply: str = "",
    measures: str = "",
    due_on: datetime.date | None = None,
) -> ReceptionDemand:
    """Enter a demand received at the session into the community's reception-day ledger."""
    community = session.community
    ledger = reception_ledger(community)
    if answered_on_spot:
        if not reply.strip():
            raise ValidationError(_("Write down the reply given on the spot."))
        access.require(actor, "handle_items", community)
    else:
        if not measures.strip():
            raise ValidationError(_("Write down the measures."))
        if due_on is None:
            raise ValidationError(_("Set the deadline."))
        if due_on < session.date:
            raise ValidationError(_("The deadline is before the reception day."))
    item = ledger_services.item_create(
        ledger=ledger,
        title=title,
        unit=community,
        actor=actor,
        source=Source.RECEPTION_DAY,
        description=description,
        category=category,
        resident_name=resident_name,
        resident_phone=resident_phone,
        received_at=_received_at(session),
        due_at=None if answered_on_spot else _end_of_day(due_on),
        measures="" if answered_on_spot else measures,
        source_record=session,
    )
    if answered_on_spot:
        item = ledger_services.item_reply(item=item, actor=actor, reply=reply)
        item = ledger_services.item_resolve(item=item, actor=actor, result=reply)
    return ReceptionDemand.objects.create(
        session=session, item=item, answered_on_spot=answered_on_spot
    )
