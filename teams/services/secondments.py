"""Secondments of community workers."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from teams import rules
from teams.models import (
    Secondment,
)
from teams.services.checks import allow


@transaction.atomic
def secondment_save(*, actor, secondment: Secondment | None = None, **fields) -> Secondment:
    if secondment is not None:
        allow(actor, secondment.worker.community)
    secondment = secondment or Secondment()
    for name in (
        "worker",
        "to_office",
        "reason",
        "started_on",
        "planned_end_on",
        "returned_on",
        "approval_document",
        "approved_on",
    ):
        if name in fields:
            setattr(secondment, name, fields[name])
    allow(actor, secondment.worker.community)
    if (
        secondment.planned_end_on
        and secondment.started_on
        and secondment.planned_end_on < secondment.started_on
    ):
        raise ValidationError({"planned_end_on": _("The end comes before the start.")})
    if secondment.returned_on and secondment.returned_on < secondment.started_on:
        raise ValidationError({"returned_on": _("The return comes before the start.")})
    if secondment.approved_on and not secondment.approval_document:
        raise ValidationError(
            {"approval_document": _("Give the approval document of an approved secondment.")}
        )
    policy = rules.policy_for(secondment.worker.community)
    secondment.limit_on = rules.add_months(secondment.started_on, policy.secondment_max_months)
    secondment.full_clean()
    secondment.save()
    return secondment
