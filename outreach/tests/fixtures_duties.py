"""Fixtures of the duties part (imported by its test modules; the app's conftest is shared).

`duty_world` is `ledger_world` plus a work zone of township A, two households in grid A and
one duty per tier: the district leader covers township A, staff A covers community A, the
community A secretary covers the two households, and staff B covers village B.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from governance.models import WorkZone
from grids.models import Household
from outreach.services_duties import duty_assign

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime.date(2026, 1, 1)


def at(year, month, day, hour=10):
    return time_machine.travel(
        datetime.datetime(year, month, day, hour, tzinfo=SHANGHAI), tick=False
    )


@pytest.fixture(name="duty_world")
def duty_world_fixture(ledger_world):
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
