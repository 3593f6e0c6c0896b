"""Training sessions and their sign-in lists."""

from django.db import transaction

from governance.models import Person, Unit
from teams.models import (
    TIER_OF_LEVEL,
    Attendance,
    TrainingSession,
)
from teams.services.checks import allow, require_level, same_district

TRAINING_FIELDS = ("title", "topic", "trainer", "held_on", "place", "materials", "materials_note")


@transaction.atomic
def training_create(*, actor, unit: Unit, **fields) -> TrainingSession:
    allow(actor, unit)
    require_level(unit, (1, 2, 3), "unit")
    session = TrainingSession(unit=unit, tier=TIER_OF_LEVEL[unit.level], created_by=actor)
    for name in TRAINING_FIELDS:
        if name in fields:
            setattr(session, name, fields[name])
    session.full_clean(exclude=["created_by"])
    session.save()
    return session


@transaction.atomic
def training_update(*, actor, session: TrainingSession, **fields) -> TrainingSession:
    allow(actor, session.unit)
    for name in TRAINING_FIELDS:
        if name in fields:
            setattr(session, name, fields[name])
    session.full_clean(exclude=["created_by"])
    session.save()
    return session


@transaction.atomic
def attendance_add(*, actor, session: TrainingSession, people: list[Person]) -> int:
    """Put people on the sign-in list; those already on it stay once. Returns how many were new."""
    allow(actor, session.unit)
    for person in people:
        same_district(session.unit, person.unit, "person")
    existing = set(
        Attendance.objects.filter(session=session, person__in=people).values_list(
            "person_id", flat=True
        )
    )
    new = [Attendance(session=session, person=p) for p in people if p.pk not in existing]
    Attendance.objects.bulk_create(new, ignore_conflicts=True)
    return len({a.person_id for a in new})


def attendance_remove(*, actor, session: TrainingSession, person_id: int) -> int:
    allow(actor, session.unit)
    return Attendance.objects.filter(session=session, person_id=person_id).delete()[0]
