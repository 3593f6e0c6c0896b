"""Fixtures of the community part (imported by its test modules).

`reception_world` is `ledger_world` plus reception-day ledgers for community A2 and village B,
and a schedule for community A (Tuesdays 09:00–11:30, valid from 2026-01-01, secretary A).
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from governance.models import Ledger, LedgerKind
from outreach.models import ReceptionSchedule

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=10, minute=0):
    return time_machine.travel(
        datetime.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI), tick=False
    )


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
