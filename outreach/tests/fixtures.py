"""The outreach test worlds, shared with the dashboards' tests (the root conftest lists this
module in `pytest_plugins`).

`reception_world` is `ledger_world` plus reception-day ledgers for community A2 and village B,
and a schedule for community A (Tuesdays 09:00–11:30, valid from 2026-01-01, secretary A).

`duty_world` is `ledger_world` plus a work zone of township A, two households in grid A and
one duty per tier: the district leader covers township A, staff A covers community A, the
community A secretary covers the two households, and staff B covers village B.
"""

import datetime

import pytest

from governance.models import Ledger, LedgerKind, WorkZone
from grids.models import Household
from outreach.models import ContactSystem, ReceptionSchedule
from outreach.services.contacts import activity_file
from outreach.services.duties import duty_assign

START = datetime.date(2026, 1, 1)


@pytest.fixture
def reception_world(ledger_world):
    w = ledger_world
    w.ledger_a2 = Ledger.objects.create(
        unit=w.community_a2,
        name="鹏泉社区书记接待日诉求台账",
        kind=LedgerKind.RECEPTION_DAY,
        prefix="PQ",
    )
    w.ledger_rb = Ledger.objects.create(
        unit=w.community_b,
        name="牛泉村书记接待日诉求台账",
        kind=LedgerKind.RECEPTION_DAY,
        prefix="NR",
    )
    w.schedule_a = ReceptionSchedule.objects.create(
        community=w.community_a,
        weekday=1,
        start_time=datetime.time(9),
        end_time=datetime.time(11, 30),
        place="花园社区党群服务中心一楼",
        secretary=w.secretary_a.person,
        valid_from=datetime.date(2026, 1, 1),
    )
    return w


@pytest.fixture
def duty_world(ledger_world):
    w = ledger_world
    w.zone_a = WorkZone.objects.create(township=w.township_a, name="凤城第一工作区")
    w.community_a.work_zone = w.zone_a
    w.community_a.save(update_fields=["work_zone"])
    w.house_1 = Household.objects.create(
        grid=w.grid_a, building="1号楼", entrance="1单元", room="101", head_name="赵一"
    )
    w.house_2 = Household.objects.create(
        grid=w.grid_a, building="1号楼", entrance="1单元", room="102", head_name="钱二"
    )
    w.house_b = Household.objects.create(grid=w.grid_b, building="3组", head_name="孙三")
    w.leader_duty = duty_assign(
        holder=w.leader.person, actor=w.district_admin, starts_on=START, target_unit=w.township_a
    )
    w.staff_duty = duty_assign(
        holder=w.staff_a.person, actor=w.staff_a, starts_on=START, target_unit=w.community_a
    )
    w.household_duty = duty_assign(
        holder=w.secretary_a.person,
        actor=w.secretary_a,
        starts_on=START,
        households=[w.house_1, w.house_2],
    )
    w.staff_b_duty = duty_assign(
        holder=w.staff_b.person, actor=w.staff_b, starts_on=START, target_unit=w.community_b
    )
    return w


def talk(w, actor, unit, held_on, **kwargs):
    """File a talk (谈心谈话) as `actor` over `unit`."""
    values = {
        "actor": actor,
        "system": ContactSystem.TALK,
        "unit": unit,
        "leader": actor.person,
        "held_on": held_on,
        "summary": "谈心谈话，了解家庭情况",
        "people_reached": 2,
        **kwargs,
    }
    return activity_file(**values)
