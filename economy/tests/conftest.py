"""Fixtures of the economy tests: `eco` is the root `world` plus the district's income bands,
development models, a village in township A, and a project of each township; `big` adds thirty
villages with two years of records; `due` a milestone and a measure falling due."""

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


@pytest.fixture
def big(eco):
    """Township A with 30 more villages, incomes for two years, measures, projects, pairings."""
    villages = [make_unit(eco.township_a, Unit.Kind.VILLAGE, f"{i}号村") for i in range(30)]
    enterprise = services.enterprise_create(actor=None, unit=eco.district, name="泰钢集团")
    for i, village in enumerate(villages):
        for year, amount in ((YEAR - 1, 50000 + 20000 * i), (YEAR, 60000 + 25000 * i)):
            services.income_record(
                actor=None, village=village, year=year, operating_income=Decimal(amount)
            )
        services.measure_create(
            actor=None,
            village=village,
            title=f"措施{i}",
            owner_name="王建国",
            deadline=datetime.date(YEAR, 1 + i % 12, 10),
        )
        project = services.project_create(
            actor=None,
            owner_unit=eco.township_a,
            name=f"项目{i}",
            year=YEAR,
            villages=[village, eco.village_a],
            model=eco.leasing,
            funding={"higher_level": Decimal("10000.50")},
        )
        services.milestone_add(actor=None, project=project, name="建设")
        services.pairing_create(
            actor=None, village=village, enterprise=enterprise, since=datetime.date(YEAR - 1, 1, 1)
        )
    eco.villages = villages
    return eco


@pytest.fixture
def due(eco):
    eco.milestone = services.milestone_add(
        actor=None, project=eco.project_a, name="主体工程", due_on=datetime.date(YEAR, 6, 10)
    )
    eco.measure = services.measure_create(
        actor=None,
        village=eco.community_a,
        title="闲置校舍出租",
        owner_name="花园书记",
        owner=eco.secretary_a,
        deadline=datetime.date(YEAR, 6, 12),
    )
    return eco
