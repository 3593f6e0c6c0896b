"""Coverage of the visiting round: the arithmetic, the pages, their scope and query counts."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from governance.models import AuditEvent, Role, Unit
from governance.testing import frozen, moment
from governance.tests.factories import make_member, make_unit
from grids import coverage
from grids.models import CareTag, Household, HouseholdMove, Redraw, RoundPolicy
from grids.tests.factories import make_household
from grids.views.coverage import PAGE_SIZE

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 15)
DECEMBER = coverage.round_for(1, TODAY)


NOW = moment(2026, 12, 15, 10)


# Rounds ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("months", "day", "start", "end"),
    [
        (1, (2026, 12, 31), (2026, 12, 1), (2027, 1, 1)),
        (1, (2027, 1, 1), (2027, 1, 1), (2027, 2, 1)),
        (2, (2026, 2, 28), (2026, 1, 1), (2026, 3, 1)),
        (3, (2026, 12, 31), (2026, 10, 1), (2027, 1, 1)),
        (3, (2027, 1, 1), (2027, 1, 1), (2027, 4, 1)),
        (3, (2026, 3, 31), (2026, 1, 1), (2026, 4, 1)),
        (3, (2026, 4, 1), (2026, 4, 1), (2026, 7, 1)),
        (6, (2026, 7, 1), (2026, 7, 1), (2027, 1, 1)),
    ],
)
def test_rounds_are_calendar_periods(months, day, start, end):
    rnd = coverage.round_for(months, datetime.date(*day))
    assert (rnd.start, rnd.end) == (datetime.date(*start), datetime.date(*end))
    assert rnd.last_day == datetime.date(*end) - datetime.timedelta(days=1)


def test_the_district_policy_sets_the_round(world):
    assert coverage.current_round(world.grid_a, TODAY) == DECEMBER  # monthly by default
    RoundPolicy.objects.create(district=world.district, months=3)
    quarter = coverage.current_round(world.grid_a, TODAY)
    assert (quarter.start, quarter.end) == (datetime.date(2026, 10, 1), datetime.date(2027, 1, 1))
    # The other district keeps its own (default) round.
    assert coverage.current_round(world.other_township, TODAY) == DECEMBER


def test_a_visit_counts_in_the_round_of_its_local_date(world):
    """New Year's Eve 23:30 in Shanghai belongs to December; 00:10 on 1 January to January."""
    late = make_household(world.grid_a, "101", visited=moment(2026, 12, 31, 23, 30))
    january = coverage.round_for(1, datetime.date(2027, 1, 1))
    assert coverage.unit_coverage(world.grid_a, DECEMBER)["visited"] == 1
    assert coverage.unit_coverage(world.grid_a, january)["visited"] == 0
    late.last_visited_at = moment(2027, 1, 1, 0, 10)
    late.save()
    assert coverage.unit_coverage(world.grid_a, DECEMBER)["visited"] == 0
    assert coverage.unit_coverage(world.grid_a, january)["visited"] == 1
    quarter = coverage.round_for(3, datetime.date(2027, 3, 31))
    assert coverage.unit_coverage(world.grid_a, quarter)["visited"] == 1


# Arithmetic --------------------------------------------------------------------------------


def test_unit_coverage(homes):
    w = homes
    grid_a = coverage.unit_coverage(w.grid_a, DECEMBER)
    # The household visited twice counts once; the inactive one not at all; November's is due.
    assert grid_a == {"households": 3, "visited": 2, "unvisited": 1, "rate": 2 / 3}
    assert coverage.unit_coverage(w.district, DECEMBER) == {
        "households": 7,
        "visited": 3,
        "unvisited": 4,
        "rate": 3 / 7,
    }
    empty = coverage.unit_coverage(w.other_district, DECEMBER)
    assert empty == {"households": 0, "visited": 0, "unvisited": 0, "rate": None}


def test_a_household_moved_mid_round_counts_in_its_new_grid(homes):
    w = homes
    moved = w.visited_twice
    redraw = Redraw.objects.create(
        community=w.community_a, kind=Redraw.Kind.MOVE, effective_on=TODAY, reason="楼栋调整"
    )
    HouseholdMove.objects.create(
        redraw=redraw, household=moved, from_grid=w.grid_a, to_grid=w.grid_a2
    )
    moved.grid = w.grid_a2
    moved.save()
    assert coverage.unit_coverage(w.grid_a, DECEMBER)["households"] == 2
    assert coverage.unit_coverage(w.grid_a, DECEMBER)["visited"] == 1
    assert coverage.unit_coverage(w.grid_a2, DECEMBER) == {
        "households": 3,
        "visited": 2,
        "unvisited": 1,
        "rate": 2 / 3,
    }
    # The visit logs keep the grid they were filed in.
    assert set(moved.visits.values_list("grid", flat=True)) == {w.grid_a.pk}
    # The community's figure does not change.
    assert coverage.unit_coverage(w.community_a, DECEMBER)["visited"] == 3


@pytest.mark.parametrize("level", ["district", "township_a", "community_a", "township_b"])
def test_child_coverage_adds_up_to_the_unit(homes, level):
    unit = getattr(homes, level)
    rows = coverage.child_coverage(unit, DECEMBER)
    total = coverage.unit_coverage(unit, DECEMBER)
    for key in ("households", "visited", "unvisited"):
        assert sum(row[key] for row in rows) == total[key]
    # Departments are not territory; children without households show zeros.
    assert homes.department not in [row["unit"] for row in rows]


def test_child_coverage_of_a_community(homes):
    rows = coverage.child_coverage(homes.community_a, DECEMBER)
    assert [(r["unit"].name, r["households"], r["visited"], r["rate"]) for r in rows] == [
        ("花园第一网格", 3, 2, 2 / 3),
        ("花园第二网格", 2, 1, 1 / 2),
    ]
    district = coverage.child_coverage(homes.district, DECEMBER)
    assert [(r["unit"].name, r["unvisited"]) for r in district] == [("凤城街道", 2), ("牛泉镇", 2)]


def test_drilldown_lists_have_the_length_of_the_figure(homes):
    for unit in (homes.district, homes.township_a, homes.community_a, homes.grid_a, homes.grid_b):
        figure = coverage.unit_coverage(unit, DECEMBER)["unvisited"]
        assert coverage.unvisited(unit, DECEMBER).count() == figure


def test_laggards_are_the_bottom_fifth_never_at_full_coverage():
    def rows(*rates):
        return [{"rate": rate} for rate in rates]

    assert [r["laggard"] for r in coverage.mark_laggards(rows(0.5, 0.1))] == [False, False]
    marked = coverage.mark_laggards(rows(0.9, 0.2, None, 0.5, 0.2, 0.8))
    assert [r["laggard"] for r in marked] == [False, True, False, False, True, False]
    assert not any(r["laggard"] for r in coverage.mark_laggards(rows(1.0, 1.0, 1.0)))


def test_the_walking_order(world):
    for building, entrance, room in [
        ("10号楼", "1单元", "101"),
        ("2号楼", "2单元", "101"),
        ("2号楼", "1单元", "1201"),
        ("2号楼", "1单元", "301"),
    ]:
        make_household(world.grid_a, room, building=building, entrance=entrance)
    places = [h.place for h in coverage.unvisited(world.grid_a, DECEMBER)]
    assert places == ["2号楼-1单元-301", "2号楼-1单元-1201", "2号楼-2单元-101", "10号楼-1单元-101"]


def test_care_overdue(world):
    w = world
    weekly = CareTag.objects.create(district=w.district, name="独居老人", visit_every_days=7)
    monthly = CareTag.objects.create(district=w.district, name="低保户", visit_every_days=30)
    untimed = CareTag.objects.create(district=w.district, name="退役军人")
    CareTag.objects.create(district=w.other_district, name="留守儿童", visit_every_days=3)

    def tagged(room, visited, *tags, **fields):
        h = make_household(w.grid_a, room, visited=visited, **fields)
        h.tags.set(tags)
        return h

    late = tagged("101", NOW - datetime.timedelta(days=8), weekly)
    tagged("102", NOW - datetime.timedelta(days=6), weekly)
    never = tagged("103", None, monthly)
    both = tagged("104", NOW - datetime.timedelta(days=10), weekly, monthly)  # 7 days wins
    tagged("105", NOW - datetime.timedelta(days=10), monthly)
    tagged("106", None, untimed)
    tagged("107", None, weekly, is_active=False)
    make_household(w.grid_a, "108")  # untagged, never visited: the round's business, not care's
    overdue = coverage.care_overdue(w.district, NOW)
    assert list(overdue) == [late, never, both]
    assert {h.every for h in overdue} == {7, 30}
    assert coverage.care_overdue(w.grid_a2, NOW).count() == 0


# Pages -------------------------------------------------------------------------------------


def _get(client, user, name, *args, **params):
    with frozen(2026, 12, 15, 10):
        client.force_login(user)
        return client.get(reverse(name, args=args), params)


def test_the_coverage_page(client, homes):
    w = homes
    response = _get(client, w.staff_a, "grids:coverage", unit=w.community_a.pk)
    assert response.status_code == 200
    assert response.context["data"]["unvisited"] == 1 + 1
    html = response.content.decode()
    assert "2026-12-01" in html and "2026-12-31" in html
    rows = {row["unit"]: row for row in response.context["rows"]}
    assert rows[w.grid_a]["unvisited_url"] == reverse("grids:unvisited", args=[w.grid_a.pk])
    assert f'href="{rows[w.grid_a]["unvisited_url"]}"' in html
    # Without a unit: the viewer's own (a township's staff: the township).
    assert _get(client, w.staff_a, "grids:coverage").context["unit"] == w.township_a


def test_the_coverage_page_marks_laggards(client, world):
    w = world
    grids = [w.grid_a, w.grid_a2] + [
        make_unit(w.community_a, Unit.Kind.GRID, f"花园第{n}网格") for n in "三四五"
    ]
    for n, grid in enumerate(grids):
        for room in range(5):
            make_household(grid, str(room), visited=NOW if room < n + 1 else None)
    response = _get(client, w.secretary_a, "grids:coverage", unit=w.community_a.pk)
    laggards = [row["unit"] for row in response.context["rows"] if row["laggard"]]
    assert laggards == [w.grid_a]
    assert f'class="laggard" data-unit="{w.grid_a.pk}"' in response.content.decode()


def test_the_unvisited_list_equals_the_figure(client, world):
    w = world
    for n in range(PAGE_SIZE * 2):
        make_household(w.grid_a, f"{n + 1:02d}", visited=NOW if n % 4 == 0 else None)
    figure = coverage.unit_coverage(w.community_a, DECEMBER)["unvisited"]
    response = _get(client, w.secretary_a, "grids:unvisited", w.community_a.pk)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == figure
    assert len(response.context["households"]) == PAGE_SIZE
    second = _get(client, w.secretary_a, "grids:unvisited", w.community_a.pk, page=2)
    assert len(second.context["households"]) == figure - PAGE_SIZE
    html = response.content.decode()
    assert "张**" in html and "张三丰" not in html


def test_the_unvisited_list_shows_care_overdue_on_top(client, world):
    w = world
    tag = CareTag.objects.create(district=w.district, name="独居老人", visit_every_days=7)
    lonely = make_household(w.grid_a, "301", visited=NOW - datetime.timedelta(days=9))
    lonely.tags.add(tag)
    make_household(w.grid_a, "302")
    response = _get(client, w.worker_a, "grids:unvisited", w.grid_a.pk)
    assert response.context["care_count"] == 1
    assert response.context["care_preview"] == [lonely]
    assert "独居老人" in response.content.decode()
    care = _get(client, w.worker_a, "grids:unvisited", w.grid_a.pk, care="1")
    assert list(care.context["households"]) == [lonely]
    assert care.context["page"].paginator.count == coverage.care_overdue(w.grid_a, NOW).count()


def test_scope(client, homes):
    w = homes
    # A secretary of community B opens nothing of community A.
    assert _get(client, w.secretary_b, "grids:coverage", unit=w.community_a.pk).status_code == 404
    assert _get(client, w.secretary_b, "grids:unvisited", w.community_a.pk).status_code == 404
    assert _get(client, w.secretary_b, "grids:unvisited", w.grid_a.pk).status_code == 404
    # A unit that is not an id: the user's own unit, and a message saying so.
    bad = _get(client, w.secretary_b, "grids:coverage", unit="x")
    assert bad.status_code == 200 and bad.context["unit"] == w.community_b
    assert "“x”" in " ".join(str(m) for m in bad.context["messages"])
    # A grid worker sees their own grid and nothing around it.
    own = _get(client, w.worker_a, "grids:coverage")
    assert own.status_code == 200 and own.context["unit"] == w.grid_a
    assert own.context["data"]["households"] == 3
    assert _get(client, w.worker_a, "grids:unvisited", w.grid_a.pk).status_code == 200
    assert _get(client, w.worker_a, "grids:unvisited", w.grid_a2.pk).status_code == 404
    assert _get(client, w.worker_a, "grids:coverage", unit=w.community_a.pk).status_code == 404
    # Departments are not territory.
    assert _get(client, w.handler, "grids:coverage", unit=w.department.pk).status_code == 404
    assert _get(client, w.handler, "grids:coverage").context["unit"] is None


def test_the_export(client, homes):
    w = homes
    response = _get(client, w.staff_a, "grids:coverage-export", unit=w.township_a.pk)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert "凤城街道" in rows[0][0] and "2026-12-01" in rows[0][0]
    assert rows[2][2:6] == (5, 3, 2, "60.0%")
    assert [row[0] for row in rows[3:]] == ["花园社区", "鹏泉社区"]
    assert rows[4][2:6] == (0, 0, 0, None)
    export = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (export.actor, export.unit, export.row_count) == (w.staff_a, w.township_a, 3)
    # Grid workers may not export; out of scope is 404.
    assert _get(client, w.worker_a, "grids:coverage-export").status_code == 403
    assert _get(client, w.staff_b, "grids:coverage-export", unit=w.township_a.pk).status_code == 404


# Query counts ------------------------------------------------------------------------------


def _grow(w, townships=3, communities=3, grids=4, households=6):
    """Add a street of townships × communities × grids × households to the district."""
    tag = CareTag.objects.get_or_create(district=w.district, name="独居老人", visit_every_days=7)[0]
    rows = []
    for t in range(townships):
        township = make_unit(w.district, Unit.Kind.STREET, f"街道{t}")
        for c in range(communities):
            community = make_unit(township, Unit.Kind.COMMUNITY, f"社区{t}{c}")
            for g in range(grids):
                grid = make_unit(community, Unit.Kind.GRID, f"网格{t}{c}{g}")
                make_member(grid, Role.GRID_WORKER)
                rows += [
                    Household(
                        grid=grid,
                        building=f"{n % 3 + 1}号楼",
                        room=f"{n + 1}01",
                        head_name="王小明",
                        last_visited_at=NOW if n % 2 else None,
                    )
                    for n in range(households)
                ]
    created = Household.objects.bulk_create(rows)
    tag.households.add(*created[::5])
    return created


def _queries(client, user, name, *args, **params):
    with frozen(2026, 12, 15, 10):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200
    return len(queries)


def test_query_counts_are_pinned(client, homes):
    w = homes
    pages = [
        ("grids:coverage", (), {"unit": w.district.pk}),
        ("grids:coverage-export", (), {"unit": w.district.pk}),
        ("grids:unvisited", (w.district.pk,), {}),
        ("grids:unvisited", (w.district.pk,), {"care": "1"}),
    ]
    _grow(w, townships=1, communities=1, grids=1, households=1)
    before = [_queries(client, w.district_admin, n, *a, **p) for n, a, p in pages]
    _grow(w)
    after = [_queries(client, w.district_admin, n, *a, **p) for n, a, p in pages]
    assert after == before
    # Each: session, account, roles, the unit, the round policy. The page: the figures, the
    # children (3), the care intervals and count, the breadcrumbs, the unread badge. The export:
    # the figures, the children (3), the audit record. The walk list: its count and page, the
    # care intervals, count, preview and its tags (the care list: count, page, tags), the badge.
    assert after == [13, 10, 13, 11]


def test_coverage_functions_cost_fixed_queries(homes, django_assert_num_queries):
    _grow(homes, townships=2, communities=2, grids=3, households=4)
    with django_assert_num_queries(1):
        coverage.unit_coverage(homes.district, DECEMBER)
    with django_assert_num_queries(3):
        coverage.child_coverage(homes.district, DECEMBER)
    with django_assert_num_queries(1):
        coverage.grids_coverage([homes.district.path], DECEMBER)
    with django_assert_num_queries(1):
        coverage.district_rounds(TODAY)


def test_residents_are_the_members_of_active_households(world):
    from grids.coverage import unit_residents
    from grids.models import Household

    Household.objects.create(grid=world.grid_a, head_name="甲", members=3)
    Household.objects.create(grid=world.grid_a, head_name="乙", members=2)
    Household.objects.create(grid=world.grid_a, head_name="丙", members=4, is_active=False)
    assert unit_residents(world.grid_a) == 5
    assert unit_residents(world.community_a) == 5


def test_the_export_writes_unit_names_as_text(client, homes):
    tricky = '=HYPERLINK("http://evil.example/","花园社区")'
    Unit.objects.filter(name="花园社区").update(name=tricky)
    response = _get(client, homes.staff_a, "grids:coverage-export", unit=homes.township_a.pk)
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = {row[0].value: row[0].data_type for row in sheet.iter_rows(min_row=4)}
    assert names[tricky] == "s"
    assert "filename*=utf-8''" in response["Content-Disposition"]
