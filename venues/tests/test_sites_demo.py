"""The venues demo seeder: realistic hours (24-hour red stations), idempotent."""

import io
import random

import pytest

from venues.demo.sites import seed_sites
from venues.models import OpeningSpan, ServiceMatter, Venue

pytestmark = pytest.mark.django_db


def test_district_scale_seeds_every_unit_once(world):
    seed_sites(stdout=io.StringIO(), scale="district", rng=random.Random(1))
    laiwu = Venue.objects.filter(unit__path__startswith=world.district.path)
    # A centre for each township/street and village/community, and 花园社区's red station.
    assert laiwu.filter(kind__code="service_centre").count() == 5
    station = Venue.objects.get(name="花园社区红色驿站")
    assert station.is_all_day and station.open_on_holidays and station.upgrades.exists()
    street_centre = Venue.objects.get(name="凤城街道党群服务中心")
    assert street_centre.is_extended and street_centre.periods.filter(name="夏季作息").exists()
    assert ServiceMatter.objects.filter(district=world.district).count() == 15
    counts = (Venue.objects.count(), OpeningSpan.objects.count())
    out = io.StringIO()
    seed_sites(stdout=out, scale="district", rng=random.Random(2))
    assert (Venue.objects.count(), OpeningSpan.objects.count()) == counts
    assert out.getvalue() == ""
