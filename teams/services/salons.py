"""Salons and the project ideas they raise."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from teams.models import (
    IdeaFollowUp,
    ProjectIdea,
    Salon,
)
from teams.services.checks import allow, require_level, transition


@transaction.atomic
def salon_save(*, actor, salon: Salon | None = None, **fields) -> Salon:
    if salon is not None:
        allow(actor, salon.unit)
    salon = salon or Salon()
    for name, value in fields.items():
        setattr(salon, name, value)
    allow(actor, salon.unit)
    require_level(salon.unit, (1, 2, 3), "unit")
    salon.full_clean()
    salon.save()
    return salon


def idea_create(*, actor, salon: Salon, title: str, proposer: str = "") -> ProjectIdea:
    allow(actor, salon.unit)
    if not title.strip():
        raise ValidationError({"title": _("This field is required.")})
    return ProjectIdea.objects.create(salon=salon, title=title.strip(), proposer=proposer)


@transaction.atomic
def idea_follow_up(*, actor, idea: ProjectIdea, status: str, note: str) -> ProjectIdea:
    allow(actor, idea.salon.unit)
    if not note.strip():
        raise ValidationError({"note": _("Say what was done.")})
    transition(ProjectIdea, idea, status, ProjectIdea.TRANSITIONS, {})
    IdeaFollowUp.objects.create(idea=idea, status=status, note=note.strip()[:300], by=actor)
    return idea
