"""Fixtures of the economy tests: `eco` is the root `world` plus the district's income bands,
development models, a village in township A, and a project of each township."""

import datetime
from decimal import Decimal

import pytest

from economy import services
from economy.models import DevelopmentModel, IncomeBand
from governance.models import Unit
from governance.tests.factories import make_unit

YEAR = 2025


@pytest.fixture
def eco(world):
    w = world
    w.village_a = make_unit(w.township_a, Unit.Kind.VILLAGE, "东关村")
    w.bands = [
        IncomeBand.objects.create(district=w.district, name="10万元以下", lower=0, upper=100000),
        IncomeBand.objects.create(
            district=w.district, name="10-50万元", lower=100000, upper=500000
        ),
        IncomeBand.objects.create(
            district=w.district, name="50-100万元", lower=500000, upper=1000000
        ),
        IncomeBand.objects.create(district=w.district, name="100万元以上", lower=1000000),
    ]
    w.leasing = DevelopmentModel.objects.create(district=w.district, name="资产租赁型", order=2)
    w.resources = DevelopmentModel.objects.create(district=w.district, name="资源开发型", order=1)
    w.project_a = services.project_create(
        actor=None,
        owner_unit=w.township_a,
        name="东关村冷库建设项目",
        year=YEAR,
        villages=[w.village_a, w.community_a],
        model=w.leasing,
        budget=Decimal("3000000.00"),
        funding={"higher_level": Decimal("2000000.00"), "village": Decimal("1000000.00")},
    )
    w.project_b = services.project_create(
        actor=None,
        owner_unit=w.township_b,
        name="牛泉村光伏项目",
        year=YEAR,
        villages=[w.community_b],
        budget=Decimal("1500000.00"),
        funding={"higher_level": Decimal("1500000.00")},
    )
    w.today = datetime.date(YEAR, 6, 15)
    return w
