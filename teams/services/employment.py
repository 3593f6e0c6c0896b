"""Gig workers, job postings and placements."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from governance.models import Person, Unit
from teams.models import (
    GigWorker,
    JobPosting,
    Placement,
)
from teams.services.checks import allow, require_level, same_district, transition


@transaction.atomic
def gig_register(*, actor, unit: Unit, person: Person, **fields) -> GigWorker:
    allow(actor, unit)
    require_level(unit, (1, 2, 3), "unit")
    same_district(unit, person.unit, "person")
    if GigWorker.objects.filter(unit=unit, person=person).exists():
        raise ValidationError({"person": _("This person is already registered here.")})
    worker = GigWorker(unit=unit, person=person, **fields)
    worker.full_clean()
    worker.save()
    return worker


@transaction.atomic
def posting_save(*, actor, posting: JobPosting | None = None, **fields) -> JobPosting:
    if posting is not None:
        allow(actor, posting.unit)
    posting = posting or JobPosting()
    for name, value in fields.items():
        setattr(posting, name, value)
    allow(actor, posting.unit)
    require_level(posting.unit, (1, 2, 3), "unit")
    if posting.closes_on and posting.closes_on < posting.posted_on:
        raise ValidationError({"closes_on": _("The posting closes before it is posted.")})
    posting.full_clean()
    posting.save()
    return posting


@transaction.atomic
def match_create(*, actor, posting: JobPosting, worker: GigWorker, on: datetime.date) -> Placement:
    allow(actor, posting.unit)
    if posting.unit.path[: Unit.steplen] != worker.unit.path[: Unit.steplen]:
        raise ValidationError({"worker": _("The gig worker is registered in another district.")})
    try:
        with transaction.atomic():
            return Placement.objects.create(posting=posting, worker=worker, matched_on=on)
    except IntegrityError:
        raise ValidationError(
            {"worker": _("%(name)s is already matched to this job.") % {"name": worker}}
        ) from None


@transaction.atomic
def placement_transition(*, actor, placement: Placement, to: str, on: datetime.date) -> Placement:
    allow(actor, placement.posting.unit)
    extra = {"placed_on": on} if to == Placement.Status.PLACED else {}
    if to == Placement.Status.PLACED:
        placed = placement.posting.placements.filter(status=Placement.Status.PLACED).count()
        if placed >= placement.posting.positions:
            raise ValidationError(_("Every position of this job is already filled."))
    transition(Placement, placement, to, Placement.TRANSITIONS, extra)
    return placement
