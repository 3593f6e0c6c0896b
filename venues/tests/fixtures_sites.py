"""Fixtures of the venues (sites) tests: kinds, venues with hours, a service catalogue."""

import datetime

import pytest

from venues import hours
from venues import services_sites as services
from venues.models import ServiceMatter


@pytest.fixture
def sites(ledger_world):
    """ledger_world (2026 holidays loaded) plus a centre in community A, a 24-hour red station
    in community A2, a centre in community B, and two service matters."""
    w = ledger_world
    w.kinds = services.ensure_kinds(w.district)
    w.centre_kind, w.station_kind = w.kinds[0], w.kinds[1]
    w.centre = services.venue_create(
        unit=w.community_a,
        kind=w.centre_kind,
        actor=None,
        name="花园社区党群服务中心",
        address="凤城街道花园路1号",
        contact_name="王芳",
        contact_phone="13900002222",
        public_phone="0634-6221234",
    )
    services.regular_hours_set(
        venue=w.centre,
        spans=hours.parse("周一至周五 08:30-12:00,14:00-17:30; 周六 09:00-12:00"),
        actor=None,
    )
    w.station = services.venue_create(
        unit=w.community_a2,
        kind=w.station_kind,
        actor=None,
        name="鹏泉红色驿站",
        open_on_holidays=True,
    )
    services.regular_hours_set(
        venue=w.station,
        spans=hours.parse("每天 09:00-17:00; 每天 00:00-24:00 自助"),
        actor=None,
    )
    w.centre_b = services.venue_create(
        unit=w.community_b, kind=w.centre_kind, actor=None, name="牛泉村党群服务中心"
    )
    services.regular_hours_set(
        venue=w.centre_b, spans=hours.parse("周一至周五 08:30-17:30"), actor=None
    )
    w.matter = ServiceMatter.objects.create(
        district=w.district,
        name="社保卡补办",
        provider_kind="department",
        provider_name="区人社局",
        department=w.department,
        materials="身份证原件",
    )
    w.bank_matter = ServiceMatter.objects.create(
        district=w.district, name="养老金查询", provider_kind="bank", provider_name="农商银行"
    )
    w.other_matter = ServiceMatter.objects.create(
        district=w.other_district, name="低保申请", provider_kind="township"
    )
    return w


def at(y, m, d, hh=0, mm=0):
    """An aware Asia/Shanghai moment."""
    return datetime.datetime(y, m, d, hh, mm, tzinfo=hours.SHANGHAI)


__all__ = ["at", "sites"]
