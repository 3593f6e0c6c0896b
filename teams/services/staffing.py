"""Staffing quotas of the townships and their additions."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from governance.models import Unit
from teams.models import (
    QuotaAddition,
    StaffingQuota,
)
from teams.services.checks import allow, require_level


@transaction.atomic
def quota_set(*, actor, township: Unit, kind: str, allocated: int, filled: int) -> StaffingQuota:
    allow(actor, township, strictly_above=True)
    require_level(township, (2,), "township")
    if filled > allocated:
        raise ValidationError({"filled": _("More posts filled than allocated.")})
    quota, _created = StaffingQuota.objects.select_for_update().get_or_create(
        township=township, kind=kind
    )
    quota.allocated = allocated
    quota.filled = filled
    quota.save()
    return quota


@transaction.atomic
def quota_add(
    *, actor, quota: StaffingQuota, posts: int, approved_on: datetime.date, document: str = ""
) -> QuotaAddition:
    allow(actor, quota.township, strictly_above=True)
    if posts < 1:
        raise ValidationError({"posts": _("Add at least one post.")})
    StaffingQuota.objects.filter(pk=quota.pk).update(allocated=F("allocated") + posts)
    quota.refresh_from_db()
    return QuotaAddition.objects.create(
        quota=quota, posts=posts, approved_on=approved_on, document=document, created_by=actor
    )
