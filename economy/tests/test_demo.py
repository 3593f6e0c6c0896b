"""The economy's demo seeder: realistic rows through the services, idempotent."""

import io
import random
from decimal import Decimal

import pytest

from economy import demo
from economy.models import (
    Enterprise,
    FundingSource,
    IncomeBand,
    IncomeMeasure,
    Milestone,
    Pairing,
    Project,
    ProsperityCompany,
    VillageIncome,
)

pytestmark = pytest.mark.django_db


def seed(scale="district"):
    demo.seed_economy(stdout=io.StringIO(), scale=scale, rng=random.Random(1))


def counts():
    return [
        m.objects.count()
        for m in (
            IncomeBand,
            VillageIncome,
            IncomeMeasure,
            Project,
            Milestone,
            Enterprise,
            Pairing,
            ProsperityCompany,
        )
    ]


def test_seeding_is_realistic_and_idempotent(world):
    seed()
    first = counts()
    seed()
    assert counts() == first
    villages = 3  # 花园社区, 鹏泉社区, 牛泉村
    assert VillageIncome.objects.count() == villages * 4
    for income in VillageIncome.objects.all():
        assert income.sources_total == income.operating_income
    assert IncomeBand.objects.filter(district=world.district).count() == 4
    assert Pairing.objects.values("village").distinct().count() == villages
    # 牛泉镇's cold-chain project: 600万 higher-level and 80万 village funds, rolled-up progress.
    project = Project.objects.get(name="牛泉镇农产品冷链仓储项目")
    assert {f.kind: f.amount for f in FundingSource.objects.filter(project=project)} == {
        "higher_level": Decimal("6000000.00"),
        "village": Decimal("800000.00"),
    }
    assert project.progress == Decimal("100.00") and project.status == "completed"
    assert ProsperityCompany.objects.get().shareholdings.get().share == Decimal("100.00")
