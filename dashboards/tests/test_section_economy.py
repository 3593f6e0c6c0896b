"""The collective-economy section: figures of the year, drill-downs through the real list pages,
children, the previous year (only for a whole-year period), attention and fixed queries."""

import datetime
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from dashboards.compute import children_of
from dashboards.sections import economy as section
from dashboards.sections.base import Context
from economy import services
from economy.models import FundingSource, IncomeBand, Project, ProjectStatus
from governance.models import Unit
from governance.periods import Period
from governance.tests.factories import make_unit

YEAR = 2025
WHOLE_YEAR = Period("year", datetime.date(YEAR, 1, 1), datetime.date(YEAR + 1, 1, 1))
YEAR_BEFORE = Period("year", datetime.date(YEAR - 1, 1, 1), datetime.date(YEAR, 1, 1))
DECEMBER = Period("month", datetime.date(YEAR, 12, 1), datetime.date(YEAR + 1, 1, 1))
NOVEMBER = Period("month", datetime.date(YEAR, 11, 1), datetime.date(YEAR, 12, 1))
PAST = datetime.date(2020, 1, 10)


def _income(village, year, amount):
    services.income_record(actor=None, village=village, year=year, operating_income=Decimal(amount))


def _project(owner, name, villages, funding, year=YEAR, late=False, status=None):
    project = services.project_create(
        actor=None,
        owner_unit=owner,
        name=name,
        year=year,
        villages=villages,
        funding={k: Decimal(v) for k, v in funding.items()},
    )
    if late or status:
        services.milestone_add(actor=None, project=project, name="建设", due_on=PAST)
    if status:
        Project.objects.filter(pk=project.pk).update(status=status)
    return project


@pytest.fixture
def ework(world):
    w = world
    for name, lower, upper in (
        ("10万元以下", 0, 100000),
        ("10-50万元", 100000, 500000),
        ("50-100万元", 500000, 1000000),
        ("100万元以上", 1000000, None),
    ):
        IncomeBand.objects.create(district=w.district, name=name, lower=lower, upper=upper)
    w.village_a1 = make_unit(w.township_a, Unit.Kind.VILLAGE, "东关村")
    w.village_b2 = make_unit(w.township_b, Unit.Kind.VILLAGE, "西关村")
    _income(w.community_a, YEAR, 50000)  # weak, same band as before
    _income(w.community_a, YEAR - 1, 50000)
    _income(w.community_a, YEAR - 2, 20000)
    _income(w.community_a2, YEAR, 200000)  # moved up
    _income(w.community_a2, YEAR - 1, 80000)
    # village_a1: no income recorded
    _income(w.community_b, YEAR, 30000)  # weak, new
    _income(w.village_b2, YEAR, 600000)  # moved up
    _income(w.village_b2, YEAR - 1, 200000)  # moved up the year before
    _income(w.village_b2, YEAR - 2, 50000)
    w.p1 = _project(
        w.township_a,
        "冷库",
        [w.community_a],
        {"higher_level": "2000000", "village": "1000000"},
        late=True,
    )
    w.p2 = _project(
        w.township_b,
        "光伏",
        [w.community_b],
        {"higher_level": "1500000.50"},
        status=ProjectStatus.COMPLETED,
    )
    w.p3 = _project(w.district, "共富工坊", [w.community_a2, w.village_b2], {"social": "100000"})
    w.p4 = _project(
        w.township_a, "大棚", [w.village_a1], {"village": "10"}, year=YEAR - 1, late=True
    )
    return w


def _ctx(unit, period=WHOLE_YEAR, previous=YEAR_BEFORE):
    return Context(unit=unit, children=children_of(unit), period=period, previous=previous)


def _count(client, url) -> tuple[int, list]:
    response = client.get(url)
    assert response.status_code == 200, url
    if "count" in response.context and response.context["count"] is not None:
        return response.context["count"], list(response.context["page"].paginator.object_list)
    page = response.context["page"]
    return page.paginator.count, list(page.paginator.object_list)


def test_figures_children_and_the_year_before(ework):
    w = ework
    result = section.compute(_ctx(w.district))
    assert result.values == {
        "weak": 2,
        "moved_up": 2,
        "projects": 3,
        "funding": "4600000.50",
        "late": 2,
    }
    # Late is a state now: no previous value.
    assert result.previous == {"weak": 2, "moved_up": 1, "projects": 1, "funding": "10.00"}
    assert not any(section.SECTION.figure(k).current for k in result.previous)
    assert section.SECTION.figure("late").current
    rows = {row["name"]: row["values"] for row in result.children}
    assert rows == {
        w.township_a.name: {
            "weak": 1,
            "moved_up": 1,
            "projects": 2,
            "funding": "3100000.00",
            "late": 2,
        },
        w.township_b.name: {
            "weak": 1,
            "moved_up": 1,
            "projects": 2,
            "funding": "1600000.50",
            "late": 0,
        },
    }
    attention = {a.label: a.count for a in result.attention}
    assert sorted(attention.values()) == [1, 2]
    assert "2025" in str(result.note)
    json.dumps(result.as_dict())  # JSON-ready, as snapshots store it


def test_a_month_shows_its_year_without_previous_values(ework):
    result = section.compute(_ctx(ework.district, DECEMBER, NOVEMBER))
    assert result.values["projects"] == 3
    assert result.previous == {}
    # A custom range of exactly one calendar year compares like the year preset.
    custom = Period("custom", WHOLE_YEAR.start, WHOLE_YEAR.end)
    assert section.compute(_ctx(ework.district, custom, YEAR_BEFORE)).previous["projects"] == 1


def test_drilldowns_list_exactly_the_rows(ework, client):
    w = ework
    client.force_login(w.district_admin)
    result = section.compute(_ctx(w.district))
    rows = [{"values": result.values, "links": result.links}, *result.children]
    for row in rows:
        for key in ("weak", "moved_up", "projects", "late"):
            count, _listed = _count(client, row["links"][key])
            assert count == row["values"][key], (key, row.get("name"))
        _n, projects = _count(client, row["links"]["funding"])
        total = FundingSource.objects.filter(project__in=projects).aggregate(s=Sum("amount"))["s"]
        assert total == Decimal(row["values"]["funding"])
    for attention in result.attention:
        count, _listed = _count(client, attention.url)
        assert count == attention.count


def test_without_bands_weak_is_none(ework):
    IncomeBand.objects.all().delete()
    result = section.compute(_ctx(ework.district))
    assert result.values["weak"] is None
    assert result.children[0]["values"]["weak"] is None


def test_a_fixed_number_of_queries(ework):
    w = ework
    Project.objects.exclude(pk=w.p1.pk).delete()
    ctx = _ctx(w.district)
    with CaptureQueriesContext(connection) as few:
        section.compute(ctx)
    for i in range(8):
        village = make_unit(w.township_b, Unit.Kind.VILLAGE, f"{i}号村")
        _income(village, YEAR, 10000 * (i + 1))
        _income(village, YEAR - 1, 5000)
        _project(w.township_b, f"项目{i}", [village, w.community_a], {"loan": "1"}, late=i % 2)
    ctx = _ctx(w.district)
    with CaptureQueriesContext(connection) as many:
        result = section.compute(ctx)
    assert result.values["projects"] == 9
    assert len(many) == len(few) <= 9
