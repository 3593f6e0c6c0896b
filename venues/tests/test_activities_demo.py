import io
import random

import pytest

from governance.testing import frozen, moment
from venues.demo.activities import seed_activities
from venues.models import Activity, ActivitySeries, Registration, WeekPreview, WeekStatus
from venues.services import activities as services

pytestmark = pytest.mark.django_db


@frozen(2026, 9, 2, 10)
def test_demo_seeds_a_year_of_activities_once(aworld):
    seed_activities(stdout=io.StringIO(), scale="demo", rng=random.Random(1))
    garden = Activity.objects.filter(venue=aworld.venue_a)
    assert garden.count() > 40
    assert ActivitySeries.objects.filter(venue=aworld.venue_a).exists()
    assert garden.filter(category__code="market").count() >= 12
    held = garden.held().filter(starts_at__lte=moment(2026, 9, 2, 10))
    assert held.exists() and not held.filter(attendance__isnull=True).exists()
    assert not garden.filter(
        starts_at__gt=moment(2026, 9, 2, 10), attendance__isnull=False
    ).exists()
    assert Registration.objects.filter(activity__venue=aworld.venue_a).exists()
    # Weeks up to the current one are published; next week waits for the staff.
    this_week, next_week = services.week_of(moment(2026, 9, 2).date()), services.next_week()
    published = WeekPreview.objects.filter(unit=aworld.community_a, status=WeekStatus.PUBLISHED)
    assert published.filter(week_start=this_week).exists()
    assert not WeekPreview.objects.filter(week_start=next_week).exists()
    assert Activity.objects.filter(venue=aworld.other_venue).exists()  # 政和县 too

    counts = (Activity.objects.count(), Registration.objects.count(), WeekPreview.objects.count())
    seed_activities(stdout=io.StringIO(), scale="demo", rng=random.Random(2))
    assert (
        Activity.objects.count(),
        Registration.objects.count(),
        WeekPreview.objects.count(),
    ) == counts


@frozen(2026, 9, 2, 10)
def test_district_scale_fills_further_venues_in_bulk(aworld):
    seed_activities(stdout=io.StringIO(), scale="district", rng=random.Random(1))
    # 牛泉镇 is outside the detailed demo area: its venue is written in bulk, with the same
    # year of activities and attendance for the ones held.
    bulk = Activity.objects.filter(venue=aworld.venue_b)
    assert bulk.count() > 30
    assert not bulk.filter(starts_at__lte=moment(2026, 9, 2, 10), attendance__isnull=True).exists()
    assert {a.week_start.weekday() for a in bulk} == {0}
    assert Registration.objects.filter(activity__venue=aworld.venue_a).exists()  # detailed
