"""The filters the dashboards' drill-downs use: households of a unit (visited this round), visits
of a unit between two days, the grids below a coverage."""

import pytest
from django.urls import reverse

from governance.testing import frozen, moment
from grids import coverage
from grids.models import Household, VisitLog

pytestmark = pytest.mark.django_db


NOW = moment(2026, 12, 15, 10)


def _get(client, user, name, **params):
    with frozen(2026, 12, 15, 10):
        client.force_login(user)
        return client.get(reverse(name), params)


def test_the_household_list_by_unit_and_visited_this_round(client, drilldown_homes):
    w = drilldown_homes

    def count(**params):
        response = _get(client, w.district_admin, "grids:household-list", **params)
        return response.context["page"].paginator.count

    assert count(unit=w.township_a.pk) == 5
    assert count(unit=w.community_a.pk, visited="1") == 2
    assert count(unit=w.district.pk, visited="1") == 2
    assert count(grid=w.grid_a.pk, visited="1") == 1
    # Without a unit or grid there is no round to count in: the filter is left out.
    assert count(visited="1") == 6
    # A unit outside the user's scope is a 404.
    response = _get(client, w.staff_b, "grids:household-list", unit=w.township_a.pk)
    assert response.status_code == 404


def test_the_visit_list_by_unit_and_local_days(client, drilldown_homes):
    w = drilldown_homes
    for when, grid in (
        (moment(2026, 11, 30, 23, 59), w.grid_a),
        (moment(2026, 12, 1, 0, 0), w.grid_a),
        (moment(2026, 12, 31, 23, 59), w.grid_a2),
        (moment(2027, 1, 1, 0, 0), w.grid_a2),
        (moment(2026, 12, 5), w.grid_b),
    ):
        home = Household.objects.filter(grid=grid).first()
        VisitLog.objects.create(household=home, grid=grid, worker=w.worker_a, visited_at=when)
    december = {"from": "2026-12-01", "to": "2026-12-31"}
    response = _get(client, w.district_admin, "grids:visit-list", unit=w.township_a.pk, **december)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 2
    assert response.context["unit"] == w.township_a
    assert (
        _get(client, w.district_admin, "grids:visit-list", **december)
        .context["page"]
        .paginator.count
        == 3
    )
    response = _get(client, w.staff_b, "grids:visit-list", unit=w.township_a.pk)
    assert response.status_code == 404


def test_the_coverage_page_lists_the_grids_below_a_coverage(client, drilldown_homes):
    w = drilldown_homes
    response = _get(client, w.district_admin, "grids:coverage", unit=w.district.pk, below="50")
    assert response.status_code == 200
    # grid A: 1 of 2 visited (50%, not below); grid A2: 1 of 3; grid B: 0 of 1.
    assert [row["unit"] for row in response.context["rows"]] == [w.grid_a2, w.grid_b]
    assert response.context["outside_rows"] == 0
    assert 'data-testid="grids-below"' in response.content.decode()
    rnd = coverage.current_round(w.district, NOW.date())
    assert len(coverage.grids_below(w.district, rnd, 51)) == 3
    assert coverage.grids_below(w.community_b, rnd, 50)[0]["unvisited"] == 1
    # Without ?below (or with a bad one) the page lists the units below as before.
    for params in ({}, {"below": "0"}, {"below": "x"}):
        response = _get(client, w.district_admin, "grids:coverage", unit=w.district.pk, **params)
        assert [row["unit"] for row in response.context["rows"]] == [w.township_a, w.township_b]
