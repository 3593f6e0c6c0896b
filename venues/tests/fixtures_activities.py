"""Fixtures of the activities tests: venues in `world`'s communities and the categories.

Imported by the activities test modules (`from venues.tests.fixtures_activities import *`).
"""

import datetime
from zoneinfo import ZoneInfo

import pytest

from governance.models import Unit
from venues import services_activities as services
from venues.models import ActivityCategory, Venue, VenueKind

SH = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=0, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=SH)


def make_venue(unit: Unit, name: str | None = None) -> Venue:
    district = Unit.objects.get(path=unit.path[: Unit.steplen])
    kind, _ = VenueKind.objects.get_or_create(
        district=district, code="center", defaults={"name": "党群服务中心"}
    )
    venue, _ = Venue.objects.get_or_create(
        unit=unit, name=name or f"{unit.name}党群服务中心", defaults={"kind": kind}
    )
    return venue


def category(district: Unit, code: str) -> ActivityCategory:
    services.categories_ensure(district)
    return ActivityCategory.objects.get(district=district, code=code)


def make_activity(venue, *, starts, hours=2, code="market", title="睦邻市集", **fields):
    return services.activity_create(
        venue=venue,
        category=category(Unit.objects.get(path=venue.unit.path[: Unit.steplen]), code),
        title=title,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=hours),
        actor=None,
        **fields,
    )


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
