import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from governance.models import Membership, Role
from governance.tests.factories import make_person
from grids.models import GridAssignment, GridProfile, WorkerKind
from grids.services.grids import grid_profile_for, grid_profile_update
from grids.services.workers import (
    grid_worker_assign,
    grid_worker_register,
    grid_worker_unassign,
    workers_on_duty,
)

pytestmark = pytest.mark.django_db

DAY1, DAY2 = datetime.date(2026, 1, 5), datetime.date(2026, 3, 2)


def grid_roles(user, grid):
    return Membership.objects.filter(user=user, unit=grid, role=Role.GRID_WORKER)


def test_assign_and_unassign_keep_history_and_manage_the_role(world):
    # worker_a's person has an account; it already holds the role at grid_a from the fixture.
    worker = grid_worker_register(
        person=world.worker_a.person, kind=WorkerKind.FULL_TIME, public_phone="0531 7612 3456"
    )
    assert worker.public_phone == "053176123456"

    first = grid_worker_assign(
        worker=worker, grid=world.grid_a2, started_on=DAY1, actor=world.staff_a
    )
    role = grid_roles(world.worker_a, world.grid_a2).get()
    assert role.started_on == DAY1 and role.ended_on is None
    assert workers_on_duty(world.grid_a2) == [worker]
    assert GridProfile.objects.filter(grid=world.grid_a2).exists()

    with pytest.raises(ValidationError):
        grid_worker_assign(worker=worker, grid=world.grid_a2, started_on=DAY1)

    grid_worker_unassign(assignment=first, ended_on=DAY2, actor=world.staff_a)
    role.refresh_from_db()
    assert role.ended_on == DAY2
    assert workers_on_duty(world.grid_a2) == []
    with pytest.raises(ValidationError):
        grid_worker_unassign(assignment=first, ended_on=DAY2)

    # Posted again later: a second assignment and a second role, the first ones kept.
    grid_worker_assign(worker=worker, grid=world.grid_a2, started_on=DAY2)
    assert GridAssignment.objects.filter(worker=worker, grid=world.grid_a2).count() == 2
    assert grid_roles(world.worker_a, world.grid_a2).count() == 2
    assert grid_roles(world.worker_a, world.grid_a2).filter(ended_on=None).count() == 1


def test_a_worker_without_account_gets_no_role_and_several_workers_share_a_grid(world):
    full = grid_worker_register(person=make_person(world.grid_a, "赵敏"))
    part = grid_worker_register(person=make_person(world.grid_a, "钱芳"), kind=WorkerKind.PART_TIME)
    grid_worker_assign(worker=part, grid=world.grid_a, started_on=DAY1)
    grid_worker_assign(worker=full, grid=world.grid_a, started_on=DAY1)

    assert workers_on_duty(world.grid_a) == [full, part]
    assert not Membership.objects.filter(unit=world.grid_a, user=None).exists()


def test_only_roles_managers_in_scope_assign(world):
    worker = grid_worker_register(person=make_person(world.grid_b, "孙丽"))
    with pytest.raises(PermissionDenied):
        grid_worker_assign(worker=worker, grid=world.grid_b, actor=world.staff_a)
    with pytest.raises(PermissionDenied):
        grid_worker_assign(worker=worker, grid=world.grid_b, actor=world.worker_b)
    with pytest.raises(ValidationError):
        grid_worker_assign(worker=worker, grid=world.community_b, actor=world.staff_b)


def test_profile_edit_needs_manage_units(world, client):
    profile = grid_profile_for(world.grid_a)
    with pytest.raises(PermissionDenied):
        grid_profile_update(profile=profile, actor=world.secretary_a, boundary="1-3号楼")

    client.force_login(world.staff_a)
    url = reverse("grids:grid-edit", args=[world.grid_a.pk])
    response = client.post(
        url, {"kind": "dedicated", "dedicated_to": "凤城农贸市场", "boundary": "市场及周边商户"}
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.kind, profile.dedicated_to) == ("dedicated", "凤城农贸市场")

    client.force_login(world.secretary_a)
    assert client.get(url).status_code == 403


def test_worker_list_masks_private_phones_for_everyone(
    world, client, django_assert_max_num_queries
):
    for n in range(12):
        person = make_person(world.grid_a, f"网格员{n}", phone=f"1380000{n:04d}")
        worker = grid_worker_register(person=person, public_phone="05317600000")
        grid_worker_assign(worker=worker, grid=world.grid_a, started_on=DAY1)
    outsider = grid_worker_register(person=make_person(world.grid_b, "外人甲"))
    grid_worker_assign(worker=outsider, grid=world.grid_b, started_on=DAY1)

    client.force_login(world.staff_a)  # township staff: no view_personal_data
    with django_assert_max_num_queries(8):
        html = client.get(reverse("grids:worker-list")).content.decode()
    assert "网格员11" in html and "外人甲" not in html
    assert "13800000011" not in html and "138****0011" in html
    assert "05317600000" in html

    # A list never shows full numbers, not even to a role that may reveal them (unrecorded).
    client.force_login(world.secretary_a)
    html = client.get(reverse("grids:worker-list")).content.decode()
    assert "13800000011" not in html and "138****0011" in html


def test_grid_detail_shows_profile_workers_history_and_counts(world, client):
    worker = grid_worker_register(person=make_person(world.grid_a, "周红"))
    assignment = grid_worker_assign(worker=worker, grid=world.grid_a, started_on=DAY1)
    grid_worker_unassign(assignment=assignment, ended_on=DAY2)
    client.force_login(world.secretary_a)
    response = client.get(reverse("grids:grid-detail", args=[world.grid_a.pk]))
    html = response.content.decode()
    assert "周红" in html and "2026-03-02" in html
    assert reverse("grids:grid-poster", args=[world.grid_a.pk]) in html
    assert response.context["figures"]["households"] == 0


def assign(client, grid, person, kind=WorkerKind.PART_TIME, day=DAY2):
    return client.post(
        reverse("grids:grid-assign", args=[grid.pk]),
        {"person": person.pk, "kind": kind, "started_on": day.isoformat()},
    )


@pytest.mark.parametrize("assigner", ["staff_a", "secretary_a", "district_admin"])
def test_township_community_and_district_post_a_worker_to_a_grid_in_their_scope(
    client, world, assigner
):
    client.force_login(getattr(world, assigner))
    page = client.get(reverse("grids:grid-assign", args=[world.grid_a2.pk]))
    assert page.status_code == 200
    choices = page.context["form"].fields["person"].queryset
    assert world.worker_a.person in choices and world.resident_b not in choices

    response = assign(client, world.grid_a2, world.worker_a.person)
    assert response.status_code == 302
    assert workers_on_duty(world.grid_a2)[0].person == world.worker_a.person
    assert grid_roles(world.worker_a, world.grid_a2).get().started_on == DAY2

    detail = client.get(reverse("grids:grid-detail", args=[world.grid_a2.pk]))
    assert world.worker_a.person.name in detail.content.decode()
    assignment = GridAssignment.objects.get(grid=world.grid_a2)
    response = client.post(reverse("grids:assignment-end", args=[assignment.pk]))
    assert response.status_code == 302
    assert workers_on_duty(world.grid_a2) == []
    assert not grid_roles(world.worker_a, world.grid_a2).filter(ended_on=None).exists()


def test_posting_a_worker_is_refused_outside_the_scope_or_the_role(client, world):
    client.force_login(world.staff_b)
    assert client.get(reverse("grids:grid-assign", args=[world.grid_a.pk])).status_code == 404
    client.force_login(world.worker_a)
    assert client.get(reverse("grids:grid-assign", args=[world.grid_a.pk])).status_code == 403
    client.force_login(world.staff_a)
    # Someone of another township is not offered, and a forged choice changes nothing.
    response = assign(client, world.grid_a, world.resident_b)
    assert response.status_code == 200 and response.context["form"].errors
    assert not GridAssignment.objects.exists()


def test_a_grid_without_a_worker_offers_the_assignment(client, world):
    client.force_login(world.secretary_a)
    page = client.get(reverse("grids:grid-detail", args=[world.grid_a2.pk])).content.decode()
    assert reverse("grids:grid-assign", args=[world.grid_a2.pk]) in page
    client.force_login(world.leader)
    page = client.get(reverse("grids:grid-detail", args=[world.grid_a2.pk])).content.decode()
    assert reverse("grids:grid-assign", args=[world.grid_a2.pk]) not in page
