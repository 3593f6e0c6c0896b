"""The district's rules: the teams policy and the scoring criteria."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.models import Unit
from teams import rules
from teams.models import (
    ScoreCriterion,
    Secondment,
    TeamsPolicy,
)
from teams.services.checks import allow


@transaction.atomic
def policy_update(
    *,
    actor,
    district: Unit,
    reserve_minimum: int,
    secondment_max_months: int,
    score_due_day: int,
) -> TeamsPolicy:
    allow(actor, district)
    if district.kind != Unit.Kind.DISTRICT:
        raise ValidationError({"district": _("Rules are set by a district.")})
    if not 1 <= score_due_day <= 28:
        raise ValidationError({"score_due_day": _("Choose a day between 1 and 28.")})
    if reserve_minimum < 1 or secondment_max_months < 1:
        raise ValidationError(_("The numbers must be at least 1."))
    policy, _created = TeamsPolicy.objects.select_for_update().get_or_create(district=district)
    changed_limit = policy.secondment_max_months != secondment_max_months or _created
    policy.reserve_minimum = reserve_minimum
    policy.secondment_max_months = secondment_max_months
    policy.score_due_day = score_due_day
    policy.save()
    if changed_limit:
        # The limit of every secondment of the district follows the new rule.
        changed = []
        for secondment in Secondment.objects.within(district).only("pk", "started_on"):
            secondment.limit_on = rules.add_months(secondment.started_on, secondment_max_months)
            changed.append(secondment)
        Secondment.objects.bulk_update(changed, ["limit_on"], batch_size=500)
    return policy


@transaction.atomic
def criterion_save(
    *, actor, criterion: ScoreCriterion | None = None, district: Unit | None = None, **fields
) -> ScoreCriterion:
    criterion = criterion or ScoreCriterion(district=district)
    allow(actor, criterion.district)
    if criterion.district.kind != Unit.Kind.DISTRICT:
        raise ValidationError(_("Scoring criteria are set by a district."))
    for name in ("name", "max_points", "order", "is_active"):
        if name in fields:
            setattr(criterion, name, fields[name])
    criterion.full_clean()
    criterion.save()
    return criterion
