"""The visits section: coverage of the round containing today, visits logged in the period, their
drill-downs through the grid pages, the children, the previous period, the fixed query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards.compute import children_of
from dashboards.sections import grids as section
from dashboards.sections.base import Context
from governance.models import Unit
from governance.periods import Period
from governance.testing import frozen, moment
from governance.tests.factories import make_unit
from grids import coverage
from grids.models import CareTag, Household, VisitLog

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 15)
DECEMBER = Period("month", datetime.date(2026, 12, 1), datetime.date(2027, 1, 1))
NOVEMBER = Period("month", datetime.date(2026, 11, 1), datetime.date(2026, 12, 1))


NOW = moment(2026, 12, 15, 10)


def household(grid, room, *, visited=None, **fields):
    return Household.objects.create(
        grid=grid,
        building="1号楼",
        room=room,
        head_name="张三丰",
        last_visited_at=visited,
        **fields,
    )


def visit(w, home, when):
    return VisitLog.objects.create(
        household=home, grid=home.grid, worker=w.worker_a, visited_at=when
    )


@pytest.fixture
def homes(world):
    """grid_a: 3 active households, 2 visited in December (one twice), one on 30 November
    23:59 (a care household, overdue); an inactive one. grid_a2: 2, 1 visited. grid_b: 2, none.
    Village B itself: 1 household, not visited (registered outside a grid)."""
    w = world
    twice = household(w.grid_a, "101", visited=moment(2026, 12, 9, 15))
    visit(w, twice, moment(2026, 12, 3, 15))
    visit(w, twice, moment(2026, 12, 9, 15))
    first = household(w.grid_a, "102", visited=moment(2026, 12, 1, 0, 0))
    visit(w, first, moment(2026, 12, 1, 0, 0))
    w.lonely = household(w.grid_a, "201", visited=moment(2026, 11, 30, 23, 59))
    visit(w, w.lonely, moment(2026, 11, 30, 23, 59))
    tag = CareTag.objects.create(district=w.district, name="独居老人", visit_every_days=7)
    w.lonely.tags.add(tag)
    household(w.grid_a, "202", visited=moment(2026, 12, 2), is_active=False)
    a2 = household(w.grid_a2, "101", visited=moment(2026, 12, 4))
    visit(w, a2, moment(2026, 12, 4, 9))
    household(w.grid_a2, "102")
    household(w.grid_b, "101")
    household(w.grid_b, "102")
    household(w.community_b, "村委会")
    return w


def compute(unit, period=DECEMBER, previous=NOVEMBER):
    ctx = Context(unit=unit, children=children_of(unit), period=period, previous=previous, now=NOW)
    return section.compute(ctx)


def rows(client, user, url):
    """The number of rows the list at `url` shows (all its pages)."""
    with frozen(NOW):
        client.force_login(user)
        response = client.get(url)
    assert response.status_code == 200, url
    if "page" in response.context:
        return response.context["page"].paginator.count
    return len(response.context["rows"])


def test_values_children_previous_and_note(homes):
    w = homes
    result = compute(w.district)
    assert result.values == {
        "households": 8,
        "visited": 3,
        "unvisited": 5,
        "coverage": 3 / 8,
        "visits": 4,
    }
    # The app's own figures.
    rnd = coverage.current_round(w.district, TODAY)
    own = coverage.unit_coverage(w.district, rnd)
    assert (own["households"], own["visited"], own["unvisited"]) == (8, 3, 5)
    # Only visits logged compares; coverage is a state now.
    assert result.previous == {"visits": 1}
    children = {row["unit_id"]: row["values"] for row in result.children}
    assert list(children) == [w.township_a.pk, w.township_b.pk]
    assert children[w.township_a.pk] == {
        "households": 5,
        "visited": 3,
        "unvisited": 2,
        "coverage": 3 / 5,
        "visits": 4,
    }
    assert children[w.township_b.pk] == {
        "households": 3,
        "visited": 0,
        "unvisited": 3,
        "coverage": 0.0,
        "visits": 0,
    }
    attention = {a.url: a.count for a in result.attention}
    assert sorted(attention.values()) == [1, 1]  # grid B below 50%; the care household
    assert "12" in str(result.note) and "31" in str(result.note)
    assert result.as_dict()["note"]
    # Without a previous period nothing is compared.
    assert compute(w.district, previous=None).previous == {}


def test_a_community_ranks_its_grids(homes):
    w = homes
    result = compute(w.community_a)
    children = {row["unit_id"]: row["values"] for row in result.children}
    assert children[w.grid_a.pk]["households"] == 3
    assert children[w.grid_a.pk]["visits"] == 3
    assert children[w.grid_a2.pk]["coverage"] == 0.5
    by_unit = {r["unit"]: r for r in coverage.child_coverage(w.community_a, result_round(w))}
    for grid in (w.grid_a, w.grid_a2):
        assert children[grid.pk]["visited"] == by_unit[grid]["visited"]
        assert children[grid.pk]["unvisited"] == by_unit[grid]["unvisited"]


def result_round(w):
    return coverage.current_round(w.district, TODAY)


@pytest.mark.parametrize("period", [DECEMBER, NOVEMBER], ids=["december", "november"])
def test_every_figure_drills_down_to_that_many_rows(client, homes, period):
    """November's one visit is on its last day at 23:59, so a list that left out the period's
    last day would come up short."""
    w = homes
    admin = w.district_admin
    for unit in (w.district, w.community_a):
        result = compute(unit, period=period, previous=None)
        checked = [(result.values, result.links)] + [
            (row["values"], row["links"]) for row in result.children
        ]
        for values, links in checked:
            for key, value in values.items():
                expected = values["visited"] if key == "coverage" else value
                assert rows(client, admin, links[key]) == expected, (unit, key, links[key])
        for attention in result.attention:
            assert rows(client, admin, attention.url) == attention.count, attention.url


def test_low_coverage_counts_the_grids_the_coverage_page_lists(client, homes):
    w = homes
    # Grid A2 at exactly 50% is not below; once a grid of A has 1 of 3 visited it is.
    assert compute(w.township_a).attention[0].count == 0
    third = make_unit(w.community_a, Unit.Kind.GRID, "花园第三网格")
    household(third, "1", visited=NOW)
    household(third, "2")
    household(third, "3")
    low = compute(w.township_a).attention[0]
    assert low.count == 1
    with frozen(NOW):
        client.force_login(w.district_admin)
        response = client.get(low.url)
    assert [row["unit"] for row in response.context["rows"]] == [third]


def test_the_trend_counts_visits_per_month_and_week(homes):
    w = homes
    trend = compute(w.district).trend
    month = trend["month"]
    assert len(month["labels"]) == 12 and month["labels"][-1] == "2026-12"
    assert month["series"]["visits"][-2:] == [1, 4]
    week = trend["week"]
    assert len(week["labels"]) == 12 and week["labels"][-1] == "12/28"
    # The week of Monday 30 November: 30 Nov 23:59, 1, 3 and 4 December; of 7 December: the 9th.
    assert sum(week["series"]["visits"]) == 5
    assert week["series"]["visits"][week["labels"].index("11/30")] == 4
    assert week["series"]["visits"][week["labels"].index("12/7")] == 1


def _grow(w, townships, grids_each, households_each):
    """More townships, communities, grids, households and visits."""
    for t in range(townships):
        township = make_unit(w.district, Unit.Kind.TOWNSHIP, f"新镇{t}")
        community = make_unit(township, Unit.Kind.VILLAGE, f"新村{t}")
        for g in range(grids_each):
            grid = make_unit(community, Unit.Kind.GRID, f"新村{t}网格{g}")
            for h in range(households_each):
                home = household(grid, str(h), visited=moment(2026, 12, 2) if h % 2 else None)
                if h % 2:
                    visit(w, home, moment(2026, 12, 2))
                    visit(w, home, moment(2026, 11, 2))


def _queries(unit):
    ctx = Context(
        unit=unit, children=children_of(unit), period=DECEMBER, previous=NOVEMBER, now=NOW
    )
    with CaptureQueriesContext(connection) as queries:
        section.compute(ctx)
    return len(queries)


def test_the_query_count_is_fixed(homes):
    w = homes
    before = _queries(w.district)
    _grow(w, townships=3, grids_each=2, households_each=3)
    after = _queries(w.district)
    assert after == before
    # The round, the units, households per grid, visits per grid, previous visits, the care
    # intervals and overdue count, the trend.
    assert after == 8
