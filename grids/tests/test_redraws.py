"""Grid re-drawing: split, merge and moves keep visit history where it happened."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from governance.models import Unit
from grids.models import GridAssignment, GridWorker, Household, HouseholdMove, Redraw, VisitLog
from grids.services import redraws as services

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 1)


def household(grid, building="1号楼", room="101"):
    return Household.objects.create(grid=grid, building=building, room=room, head_name="张三")


def visit(h, worker):
    return VisitLog.objects.create(household=h, grid=h.grid, worker=worker)


def test_moving_a_building_keeps_its_visits_in_the_old_grid(world):
    h1, h2 = household(world.grid_a, room="101"), household(world.grid_a, room="102")
    stays = household(world.grid_a, building="2号楼")
    old_visit = visit(h1, world.worker_a)
    redraw = services.redraw_move(
        community=world.community_a,
        households=[h1, h2],
        to_grid=world.grid_a2,
        reason="1号楼划入第二网格",
        effective_on=DAY,
        actor=world.staff_a,
    )
    h1.refresh_from_db()
    stays.refresh_from_db()
    old_visit.refresh_from_db()
    assert h1.grid == world.grid_a2 and stays.grid == world.grid_a
    assert old_visit.grid == world.grid_a  # history kept where it happened
    assert list(h1.visits.all()) == [old_visit]
    assert redraw.kind == Redraw.Kind.MOVE
    assert set(redraw.moves.values_list("household", "from_grid", "to_grid")) == {
        (h1.pk, world.grid_a.pk, world.grid_a2.pk),
        (h2.pk, world.grid_a.pk, world.grid_a2.pk),
    }
    # The grid worker of the old grid keeps seeing the old visit, not the moved household.
    assert VisitLog.objects.for_user(world.worker_a).filter(pk=old_visit.pk).exists()
    assert not Household.objects.for_user(world.worker_a).filter(pk=h1.pk).exists()


def test_split_creates_a_grid_under_the_community(world):
    h1, h2 = household(world.grid_a, room="101"), household(world.grid_a, room="102")
    visit(h1, world.worker_a)
    redraw = services.redraw_split(
        community=world.community_a,
        grid=world.grid_a,
        households=[h2],
        new_grid_name="花园第三网格",
        new_grid_code="G-A3",
        reason="户数超过500户",
        effective_on=DAY,
        actor=world.staff_a,
    )
    new = Unit.objects.get(code="G-A3")
    assert (new.kind, new.parent, new.path.startswith(world.community_a.path)) == (
        Unit.Kind.GRID,
        world.community_a,
        True,
    )
    assert new.grid_profile is not None
    h2.refresh_from_db()
    assert h2.grid == new and redraw.kind == Redraw.Kind.SPLIT
    assert Household.objects.get(pk=h1.pk).grid == world.grid_a


def test_merge_moves_every_household_and_deactivates_the_grid(world):
    h1 = household(world.grid_a2, room="1")
    gone = household(world.grid_a2, room="2")
    Household.objects.filter(pk=gone.pk).update(is_active=False)
    old_visit = visit(h1, world.worker_a)
    worker = GridWorker.objects.create(person=world.worker_a.person)
    assignment = GridAssignment.objects.create(
        worker=worker, grid=world.grid_a2, started_on=datetime.date(2025, 1, 1)
    )
    redraw = services.redraw_merge(
        community=world.community_a,
        into=world.grid_a,
        merged=world.grid_a2,
        reason="两网格合并",
        effective_on=DAY,
        actor=world.staff_a,
    )
    world.grid_a2.refresh_from_db()
    assignment.refresh_from_db()
    old_visit.refresh_from_db()
    assert not world.grid_a2.is_active
    assert not Household.objects.filter(grid=world.grid_a2).exists()
    assert redraw.moves.count() == 2 and redraw.kind == Redraw.Kind.MERGE
    assert old_visit.grid == world.grid_a2
    assert assignment.ended_on == DAY


def test_grids_of_another_community_are_refused(world):
    h = household(world.grid_a)
    with pytest.raises(ValidationError):
        services.redraw_move(
            community=world.community_a,
            households=[h],
            to_grid=world.grid_b,
            reason="越界",
            effective_on=DAY,
            actor=world.district_admin,
        )
    with pytest.raises(ValidationError):
        services.redraw_merge(
            community=world.community_a,
            into=world.grid_a,
            merged=world.grid_b,
            reason="越界",
            effective_on=DAY,
            actor=world.district_admin,
        )
    assert not Redraw.objects.exists() and not HouseholdMove.objects.exists()


def test_re_drawing_needs_manage_units_and_a_reason(world):
    h = household(world.grid_a)
    common = {"community": world.community_a, "households": [h], "to_grid": world.grid_a2}
    with pytest.raises(PermissionDenied):
        services.redraw_move(**common, reason="x", effective_on=DAY, actor=world.secretary_a)
    with pytest.raises(ValidationError):
        services.redraw_move(**common, reason="  ", effective_on=DAY, actor=world.staff_a)
    assert not Redraw.objects.exists()


# Pages ---------------------------------------------------------------------------------------


def test_the_page_moves_chosen_buildings_and_lists_the_history(client, world):
    moved = [household(world.grid_a, room=str(n)) for n in range(3)]
    household(world.grid_a, building="2号楼")
    client.force_login(world.staff_a)
    url = reverse("grids:redraw-new", args=[world.community_a.pk])
    assert client.get(url).status_code == 200
    assert client.get(url, {"grid": world.grid_a.pk}).status_code == 200
    response = client.post(
        url,
        {
            "grid": world.grid_a.pk,
            "kind": "move",
            "to_grid": world.grid_a2.pk,
            "buildings": ["1号楼"],
            "reason": "按楼栋调整",
            "effective_on": "2026-03-01",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert {h.grid_id for h in Household.objects.filter(pk__in=[h.pk for h in moved])} == {
        world.grid_a2.pk
    }
    history = client.get(reverse("grids:redraw-list", args=[world.community_a.pk]))
    body = history.content.decode()
    assert "按楼栋调整" in body and f"{world.grid_a.name} → {world.grid_a2.name}：3 户" in body


def test_the_page_splits_and_merges(client, world):
    h = household(world.grid_a)
    client.force_login(world.staff_a)
    url = reverse("grids:redraw-new", args=[world.community_a.pk])
    response = client.post(
        url,
        {"grid": world.grid_a.pk, "kind": "split", "new_grid_name": "花园第三网格",
         "households": [h.pk], "reason": "拆分", "effective_on": "2026-03-01"},
    )  # fmt: skip
    assert response.status_code == 302
    new = Unit.objects.get(name="花园第三网格")
    response = client.post(
        url,
        {"grid": new.pk, "kind": "merge", "to_grid": world.grid_a2.pk, "reason": "合并",
         "effective_on": "2026-03-02"},
    )  # fmt: skip
    assert response.status_code == 302
    new.refresh_from_db()
    assert not new.is_active and Household.objects.get(pk=h.pk).grid == world.grid_a2


def test_a_move_without_households_is_a_form_error(client, world):
    client.force_login(world.staff_a)
    response = client.post(
        reverse("grids:redraw-new", args=[world.community_a.pk]),
        {"grid": world.grid_a.pk, "kind": "move", "to_grid": world.grid_a2.pk,
         "reason": "x", "effective_on": "2026-03-01"},
    )  # fmt: skip
    assert response.status_code == 200 and response.context["form"].errors["buildings"]


def test_scope_of_the_re_drawing_pages(client, world):
    client.force_login(world.secretary_b)
    assert client.get(reverse("grids:redraw-new", args=[world.community_a.pk])).status_code == 404
    assert client.get(reverse("grids:redraw-list", args=[world.community_a.pk])).status_code == 404
    # A secretary sees the history of their own community but does not re-draw grids.
    assert client.get(reverse("grids:redraw-list", args=[world.community_b.pk])).status_code == 200
    assert client.get(reverse("grids:redraw-new", args=[world.community_b.pk])).status_code == 403
    # A grid of another community is not a starting point.
    client.force_login(world.staff_a)
    url = reverse("grids:redraw-new", args=[world.community_a.pk])
    assert client.get(url, {"grid": world.grid_b.pk}).status_code == 404
