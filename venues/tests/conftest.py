"""Fixtures of the venues tests: `sites` (venues with hours and a service catalogue) and
`aworld` (a venue in three communities and the district's activity categories).

Other apps' tests reach them through the root conftest's `pytest_plugins`."""

import pytest

from venues import hours
from venues.models import ServiceMatter
from venues.services import sites as site_services
from venues.tests.factories import category, make_venue


@pytest.fixture
def sites(ledger_world):
    """ledger_world (2026 holidays loaded) plus a centre in community A, a 24-hour red station
    in community A2, a centre in community B, and two service matters."""
    w = ledger_world
    w.kinds = site_services.ensure_kinds(w.district)
    w.centre_kind, w.station_kind = w.kinds[0], w.kinds[1]
    w.centre = site_services.venue_create(
        unit=w.community_a,
        kind=w.centre_kind,
        actor=None,
        name="花园社区党群服务中心",
        address="凤城街道花园路1号",
        contact_name="王芳",
        contact_phone="13900002222",
        public_phone="0634-6221234",
    )
    site_services.regular_hours_set(
        venue=w.centre,
        spans=hours.parse("周一至周五 08:30-12:00,14:00-17:30; 周六 09:00-12:00"),
        actor=None,
    )
    w.station = site_services.venue_create(
        unit=w.community_a2,
        kind=w.station_kind,
        actor=None,
        name="鹏泉红色驿站",
        open_on_holidays=True,
    )
    site_services.regular_hours_set(
        venue=w.station,
        spans=hours.parse("每天 09:00-17:00; 每天 00:00-24:00 自助"),
        actor=None,
    )
    w.centre_b = site_services.venue_create(
        unit=w.community_b, kind=w.centre_kind, actor=None, name="牛泉村党群服务中心"
    )
    site_services.regular_hours_set(
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


@pytest.fixture
def aworld(world):
    """`world` with a venue in 花园社区, 鹏泉社区 and 牛泉村 and the district's categories."""
    world.venue_a = make_venue(world.community_a)
    world.venue_a2 = make_venue(world.community_a2)
    world.venue_b = make_venue(world.community_b)
    world.market = category(world.district, "market")
    world.course = category(world.district, "course")
    world.other_venue = make_venue(world.other_township, "熊山街道党群服务中心")
    return world
