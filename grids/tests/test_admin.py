"""The grids admin: scoped lists, masked phones, households written through the services."""

import pytest
from django.urls import reverse

from grids.models import CareTag, Household, Redraw, VisitLog

pytestmark = pytest.mark.django_db


def test_the_household_list_is_scoped_and_masked(client, admin_world):
    client.force_login(admin_world.secretary_a)
    response = client.get(reverse("admin:grids_household_changelist"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "138****5678" in body and "13812345678" not in body
    assert "张**" in body and "王**" not in body
    url = reverse("admin:grids_household_change", args=[admin_world.theirs.pk])
    assert client.get(url).status_code in (302, 404)


def test_personal_data_is_masked_in_the_form_for_roles_that_may_not_see_it(client, admin_world):
    client.force_login(admin_world.staff_a)
    response = client.get(reverse("admin:grids_household_change", args=[admin_world.mine.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "138****5678" in body and "13812345678" not in body


def test_an_admin_edit_goes_through_the_service(client, admin_world):
    tag = CareTag.objects.create(district=admin_world.district, name="低保户")
    client.force_login(admin_world.secretary_a)
    url = reverse("admin:grids_household_change", args=[admin_world.mine.pk])
    response = client.post(
        url,
        {"building": "1号楼", "entrance": "", "room": "１０２", "address": "", "head_name": "张三丰",
         "head_phone": "13812345678", "head_id_number": "", "members": 2, "tags": [tag.pk],
         "note": ""},
    )  # fmt: skip
    assert response.status_code == 302, response.context["adminform"].form.errors
    admin_world.mine.refresh_from_db()
    assert (admin_world.mine.room, admin_world.mine.members, list(admin_world.mine.tags.all())) == (
        "102",
        2,
        [tag],
    )


def test_a_duplicate_is_a_form_error_in_the_admin(client, admin_world):
    client.force_login(admin_world.secretary_a)
    response = client.post(
        reverse("admin:grids_household_add"),
        {"grid": admin_world.grid_a.pk, "building": "1号楼", "entrance": "", "room": "101",
         "address": "", "head_name": "新户", "head_phone": "", "head_id_number": "",
         "members": 1, "note": ""},
    )  # fmt: skip
    assert response.status_code == 200
    assert Household.objects.count() == 2


def test_households_are_not_deleted_and_records_are_read_only(client, admin_world):
    client.force_login(admin_world.secretary_a)
    assert (
        client.get(reverse("admin:grids_household_delete", args=[admin_world.mine.pk])).status_code
        == 403
    )
    VisitLog.objects.create(
        household=admin_world.mine, grid=admin_world.grid_a, worker=admin_world.worker_a
    )
    assert client.get(reverse("admin:grids_visitlog_changelist")).status_code == 200
    assert client.get(reverse("admin:grids_visitlog_add")).status_code == 403
    assert client.get(reverse("admin:grids_redraw_add")).status_code == 403
    assert not Redraw.objects.exists()


def test_every_grids_model_is_registered(client, admin_world):
    from django.apps import apps
    from django.contrib import admin

    for model in apps.get_app_config("grids").get_models():
        assert admin.site.is_registered(model), model


def test_assigning_a_worker_in_the_admin_gives_the_account_its_role(
    client, world, django_user_model
):
    from governance.models import Membership
    from governance.tests.factories import make_person
    from grids.models import GridAssignment
    from grids.services.workers import grid_worker_register

    root = django_user_model.objects.create_superuser("root", password="x" * 12)
    person = make_person(world.grid_a2, "新网格员")
    person.user = django_user_model.objects.create_user("xinwgy", password="x" * 12)
    person.save()
    worker = grid_worker_register(person=person)
    client.force_login(root)
    response = client.post(
        reverse("admin:grids_gridassignment_add"),
        {
            "worker": worker.pk,
            "grid": world.grid_a2.pk,
            "started_on": "2026-11-01",
        },
    )
    assert response.status_code == 302
    assignment = GridAssignment.objects.get(worker=worker)
    assert Membership.objects.filter(
        user=person.user, unit=world.grid_a2, role="grid_worker", ended_on__isnull=True
    ).exists()
    client.post(
        reverse("admin:grids_gridassignment_change", args=[assignment.pk]),
        {"ended_on": "2026-11-20"},
    )
    assert not Membership.objects.filter(
        user=person.user, unit=world.grid_a2, ended_on__isnull=True
    ).exists()
