import io
import random

import pytest

from governance.models import LedgerItem, Source
from outreach.demo.duties import seed_duties
from outreach.models import ContactActivity, DutyContact, DutyTier, LiaisonDuty

pytestmark = pytest.mark.django_db


def _counts():
    return (
        LiaisonDuty.objects.count(),
        ContactActivity.objects.count(),
        DutyContact.objects.count(),
        LedgerItem.objects.filter(source=Source.CONTACT_ACTIVITY).count(),
    )


def test_district_scale_seeding_covers_every_tier_and_is_idempotent(ledger_world):
    from grids.models import Household

    w = ledger_world
    for room in ("101", "102", "201"):
        Household.objects.create(grid=w.grid_a, building="2号楼", room=room, head_name="住户")
    out = io.StringIO()
    seed_duties(stdout=out, scale="district", rng=random.Random(1))
    tiers = set(LiaisonDuty.objects.values_list("tier", flat=True))
    assert {DutyTier.TOWNSHIP, DutyTier.VILLAGE, DutyTier.HOUSEHOLDS} <= tiers
    first = _counts()
    assert first[1] > 0 and first[2] >= first[1]
    assert "包联演示数据" in out.getvalue()
    # Every contact is an activity over what its duty covers, on a day of the duty.
    for contact in DutyContact.objects.select_related("duty", "activity", "duty__target_unit"):
        assert contact.held_on == contact.activity.held_on >= contact.duty.starts_on
        if contact.duty.target_unit_id:
            assert contact.activity.unit.is_within(contact.duty.target_unit)
    seed_duties(stdout=io.StringIO(), scale="district", rng=random.Random(2))
    assert _counts() == first
