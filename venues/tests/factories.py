"""Rows the venues tests (and other apps' tests) build: a venue, a category, an activity."""

import datetime

from governance.models import Unit
from venues.models import ActivityCategory, Venue, VenueKind
from venues.services import activities as services


def make_venue(unit: Unit, name: str | None = None) -> Venue:
    kind, _ = VenueKind.objects.get_or_create(
        district=unit.district, code="center", defaults={"name": "党群服务中心"}
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
        category=category(venue.unit.district, code),
        title=title,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=hours),
        actor=None,
        **fields,
    )
