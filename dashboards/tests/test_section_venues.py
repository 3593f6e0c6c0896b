"""The venues section: figures, drill-downs through the real list pages, children, previous
period, attention, trend and a fixed number of queries."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards.compute import children_of
from dashboards.sections import venues as section
from dashboards.sections.base import Context
from governance.periods import Period
from governance.testing import moment
from venues.models import Activity, ActivityStatus, ServiceMatter, ServiceRequest
from venues.services import requests as services_requests
from venues.tests.factories import make_activity, make_venue

OCTOBER = Period("month", datetime.date(2026, 10, 1), datetime.date(2026, 11, 1))
SEPTEMBER = Period("month", datetime.date(2026, 9, 1), datetime.date(2026, 10, 1))


def _activity(venue, day, attendance=None, hour=9):
    activity = make_activity(venue, starts=moment(2026, day.month, day.day, hour))
    if attendance is not None:
        Activity.objects.filter(pk=activity.pk).update(attendance=attendance)
    return activity


def _request(w, venue, when):
    matter = w.matter if venue.unit.path.startswith(w.district.path) else w.other_matter
    return services_requests.request_create(
        venue=venue,
        matter=matter,
        kind="assisted",
        resident_name="张三",
        actor=None,
        received_at=when,
    )


@pytest.fixture
def vworld(world):
    w = world
    w.venue_a = make_venue(w.community_a)
    w.venue_a2 = make_venue(w.community_a2)
    w.venue_b = make_venue(w.community_b)
    w.other_venue = make_venue(w.other_township, "熊山街道党群服务中心")
    w.matter = ServiceMatter.objects.create(
        district=w.district, name="社保卡补办", provider_kind="township"
    )
    w.other_matter = ServiceMatter.objects.create(
        district=w.other_district, name="低保申请", provider_kind="township"
    )
    d = datetime.date
    # October: three activities in township A (one without attendance), one in township B.
    _activity(w.venue_a, d(2026, 10, 5), attendance=30)
    _activity(w.venue_a, d(2026, 10, 12))
    _activity(w.venue_a2, d(2026, 10, 31), attendance=12, hour=23)
    _activity(w.venue_b, d(2026, 10, 20), attendance=5)
    cancelled = _activity(w.venue_a, d(2026, 10, 6), attendance=99)
    Activity.objects.filter(pk=cancelled.pk).update(status=ActivityStatus.CANCELLED)
    _activity(w.other_venue, d(2026, 10, 7), attendance=50)  # another district
    _activity(w.venue_a, d(2026, 9, 30), attendance=8, hour=23)  # September
    _activity(w.venue_b, d(2026, 11, 1), attendance=7, hour=0)  # November
    # Requests: two in A and one in B in October, one in A in September.
    _request(w, w.venue_a, moment(2026, 10, 1, 0))
    _request(w, w.venue_a2, moment(2026, 10, 31, 23, 59))
    _request(w, w.venue_b, moment(2026, 10, 15, 10))
    _request(w, w.venue_a, moment(2026, 9, 30, 23, 59))
    _request(w, w.other_venue, moment(2026, 10, 15, 10))
    return w


def _ctx(unit, period=OCTOBER, previous=SEPTEMBER):
    return Context(unit=unit, children=children_of(unit), period=period, previous=previous)


def _listed(client, url) -> list:
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.context["page"]
    return page.paginator.count, list(page.paginator.object_list)


def test_figures_children_and_previous(vworld):
    w = vworld
    result = section.compute(_ctx(w.district))
    assert result.values == {"venues": 3, "activities": 4, "person_times": 47, "requests": 3}
    # The venues are as they are now: no previous value.
    assert result.previous == {"activities": 1, "person_times": 8, "requests": 1}
    rows = {row["name"]: row["values"] for row in result.children}
    assert list(rows) == [w.township_a.name, w.township_b.name]
    assert rows[w.township_a.name] == {
        "venues": 2,
        "activities": 3,
        "person_times": 42,
        "requests": 2,
    }
    assert rows[w.township_b.name] == {
        "venues": 1,
        "activities": 1,
        "person_times": 5,
        "requests": 1,
    }
    [attention] = result.attention
    assert attention.count == 1
    data = result.as_dict()
    json.dumps(result.as_dict())  # JSON-ready, as snapshots store it
    assert data["values"]["person_times"] == 47
    # Figures that compare are declared so; the venues are a state now.
    assert section.SECTION.figure("venues").current
    assert not any(section.SECTION.figure(k).current for k in result.previous)


def test_without_previous_period(vworld):
    result = section.compute(_ctx(vworld.district, previous=None))
    assert result.previous == {}


def test_drilldowns_list_exactly_the_rows(vworld, client):
    w = vworld
    client.force_login(w.district_admin)
    result = section.compute(_ctx(w.district))
    for key in ("venues", "activities", "requests"):
        count, _rows = _listed(client, result.links[key])
        assert count == result.values[key], key
    count, rows = _listed(client, result.links["person_times"])
    assert sum(a.attendance or 0 for a in rows) == result.values["person_times"]
    for row in result.children:
        for key in ("venues", "activities", "requests"):
            count, _rows = _listed(client, row["links"][key])
            assert count == row["values"][key], (row["name"], key)
        _count, listed = _listed(client, row["links"]["person_times"])
        assert sum(a.attendance or 0 for a in listed) == row["values"]["person_times"]
    [attention] = result.attention
    count, rows = _listed(client, attention.url)
    assert count == attention.count == 1
    assert rows[0].attendance is None


def test_a_township_counts_its_communities(vworld, client):
    w = vworld
    client.force_login(w.district_admin)
    result = section.compute(_ctx(w.township_a))
    assert result.values["activities"] == 3
    rows = {row["name"]: row for row in result.children}
    assert rows[w.community_a.name]["values"]["activities"] == 2
    assert rows[w.community_a2.name]["values"]["person_times"] == 12
    count, _ = _listed(client, rows[w.community_a.name]["links"]["activities"])
    assert count == 2


def test_trend(vworld):
    result = section.compute(_ctx(vworld.district))
    month = result.trend["month"]
    assert month["labels"][-2:] == ["2026-09", "2026-10"]
    assert month["series"]["activities"][-2:] == [1, 4]
    assert month["series"]["person_times"][-2:] == [8, 47]
    week = result.trend["week"]
    assert len(week["labels"]) == 12
    assert sum(week["series"]["activities"]) == 5  # 12 weeks reach back into September


def test_a_fixed_number_of_queries(vworld):
    w = vworld
    # One child (township A) with data, then both with many rows.
    Activity.objects.exclude(venue=w.venue_a).delete()
    ServiceRequest.objects.exclude(venue=w.venue_a).delete()
    ctx = _ctx(w.district)
    with CaptureQueriesContext(connection) as few:
        section.compute(ctx)
    for day in range(1, 20):
        _activity(w.venue_b, datetime.date(2026, 10, day), attendance=day)
        _activity(w.venue_a2, datetime.date(2026, 10, day))
        _request(w, w.venue_b, moment(2026, 10, day, 9))
    ctx = _ctx(w.district)
    with CaptureQueriesContext(connection) as many:
        result = section.compute(ctx)
    assert result.values["activities"] == 40
    assert len(many) == len(few) <= 6
