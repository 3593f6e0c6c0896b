import pytest
import tablib
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance import services
from governance.models import AuditEvent, Membership, Notification, Person, Role, Unit
from governance.resources import XLSX
from governance.tests.factories import make_person, make_unit

pytestmark = pytest.mark.django_db

MODELS = ("unit", "person", "membership", "auditevent", "notification")


def staff(user, *models: str, actions=("view", "add", "change", "delete")):
    """Make an account staff with the admin permissions on the governance models named."""
    user.is_staff = True
    user.save()
    codenames = [f"{action}_{model}" for model in models or MODELS for action in actions]
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="governance", codename__in=codenames)
    )
    return user


def changelist(model: str) -> str:
    return reverse(f"admin:governance_{model}_changelist")


def change(obj) -> str:
    return reverse(f"admin:governance_{obj._meta.model_name}_change", args=[obj.pk])


def listed(client, model: str, **params) -> list:
    return list(client.get(changelist(model), params).context["cl"].result_list)


@pytest.fixture
def outsider(world):
    """Someone registered in the other district."""
    return make_person(world.other_township, "赵钱", phone="13700001234")


@pytest.fixture
def root(django_user_model):
    return django_user_model.objects.create_superuser("root", password="pw-test-123")


def test_a_district_admin_lists_only_their_district(client, world, outsider):
    client.force_login(staff(world.district_admin))
    assert listed(client, "unit") == [world.district]
    assert {u.name for u in listed(client, "unit", q="街道")} == {"凤城街道"}
    people = listed(client, "person")
    assert world.resident_a in people and world.resident_b in people and outsider not in people


def test_a_township_tree_starts_at_the_township(client, world):
    client.force_login(staff(world.staff_a))
    assert listed(client, "unit") == [world.township_a]
    assert set(listed(client, "person")) == set(Person.objects.within(world.township_a))


def test_outside_the_scope_the_change_page_is_missing(client, world, outsider):
    client.force_login(staff(world.district_admin))
    for obj in (world.other_township, outsider):
        response = client.get(change(obj), follow=True)
        assert response.redirect_chain[-1][0] == reverse("admin:index")
        assert obj.name not in response.content.decode()


def test_a_superuser_sees_everything(client, world, outsider, root):
    client.force_login(root)
    assert listed(client, "unit") == [world.district, world.other_district]
    assert outsider in listed(client, "person")
    assert client.get(change(world.other_township)).status_code == 200


def test_a_role_sees_but_cannot_change_above_where_it_manages(client, world):
    client.force_login(staff(world.staff_a))
    response = client.get(change(world.township_a))
    assert response.status_code == 200 and not response.context["has_change_permission"]
    assert client.post(change(world.township_a), {"name": "改名"}).status_code == 403


def test_lists_show_masked_phones_only(client, world):
    client.force_login(staff(world.district_admin))
    page = client.get(changelist("person")).content.decode()
    assert "138****1234" in page and "13812341234" not in page


def test_the_person_page_masks_for_a_role_without_personal_data(client, world):
    client.force_login(staff(world.staff_a))
    page = client.get(change(world.resident_a)).content.decode()
    assert "138****1234" in page and "13812341234" not in page
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.REVEAL).exists()


def test_the_person_page_shows_full_data_as_a_recorded_reveal(client, world):
    client.force_login(staff(world.secretary_a))
    page = client.get(change(world.resident_a)).content.decode()
    assert "13812341234" in page
    event = AuditEvent.objects.get(action=AuditEvent.Action.REVEAL)
    assert (event.actor, event.unit) == (world.secretary_a, world.grid_a)


@pytest.mark.parametrize("model", ["unit", "person", "membership", "auditevent"])
def test_list_pages_cost_the_same_whatever_their_length(client, world, model):
    client.force_login(staff(world.district_admin))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert (
                client.get(changelist(model), {"q": "网格"} if model == "unit" else {}).status_code
                == 200
            )
        return len(captured)

    few = queries()
    for n in range(20):
        grid = make_unit(world.community_a2, Unit.Kind.GRID, f"加密网格{n}")
        make_person(grid, f"居民{n}", phone=f"1390000{n:04d}")
        services.audit_record(
            actor=world.district_admin,
            action=AuditEvent.Action.EXPORT,
            target="governance.person",
            unit=grid,
        )
        user = staff(world.district_admin.__class__.objects.create(username=f"m{n}"))
        services.membership_add(user=user, unit=grid, role=Role.GRID_WORKER)
    assert queries() == few


def _unit_form(parent, **fields) -> dict:
    return {
        "name": "",
        "kind": "",
        "code": "",
        "address": "",
        "phone": "",
        "is_active": "on",
        "area": "",
        "work_zone": "",
        "treebeard_position": "first-child",
        "treebeard_ref_node": parent.pk,
        **fields,
    }


def test_adding_a_unit_in_the_admin_places_it_under_its_parent(client, world):
    client.force_login(staff(world.staff_a))
    page = client.get(reverse("admin:governance_unit_add"))
    parents = page.context["adminform"].form.fields["treebeard_ref_node"].queryset
    assert set(parents) == {world.township_a, world.community_a, world.community_a2}
    response = client.post(
        reverse("admin:governance_unit_add"),
        _unit_form(world.township_a, name="新建社区", kind="community"),
    )
    assert response.status_code == 302
    community = Unit.objects.get(name="新建社区")
    assert community.parent == world.township_a == Unit.objects.get_parent(community)


def test_the_admin_refuses_a_unit_of_the_wrong_kind_or_outside_the_scope(client, world):
    client.force_login(staff(world.staff_a))
    url = reverse("admin:governance_unit_add")
    wrong_kind = client.post(url, _unit_form(world.township_a, name="错层网格", kind="grid"))
    outside = client.post(url, _unit_form(world.township_b, name="越界社区", kind="community"))
    assert wrong_kind.status_code == outside.status_code == 200
    assert wrong_kind.context["adminform"].form.non_field_errors()
    assert "treebeard_ref_node" in outside.context["adminform"].form.errors
    assert not Unit.objects.filter(name__in=["错层网格", "越界社区"]).exists()


def test_a_new_parent_in_the_admin_moves_the_unit_and_keeps_parent_in_step(client, world):
    client.force_login(staff(world.district_admin))
    form = _unit_form(world.township_b, name="花园社区", code="")
    assert client.post(change(world.community_a), form).status_code == 302
    community = Unit.objects.get(pk=world.community_a.pk)
    grid = Unit.objects.get(pk=world.grid_a.pk)
    assert community.parent == world.township_b == Unit.objects.get_parent(community)
    assert grid.parent == community and grid.is_within(world.township_b)


def test_drag_and_drop_moves_through_the_service(client, world):
    client.force_login(staff(world.staff_a))
    move = reverse("admin:governance_unit_changelist") + "move/"
    response = client.post(
        move, {"node": world.grid_a.pk, "target": world.community_a2.pk, "relation": "child"}
    )
    assert response.status_code == 200
    grid = Unit.objects.get(pk=world.grid_a.pk)
    assert grid.parent == world.community_a2 == Unit.objects.get_parent(grid)
    refused = client.post(
        move, {"node": world.grid_a.pk, "target": world.community_b.pk, "relation": "child"}
    )
    assert refused.status_code == 400  # community_b is not in staff_a's scope
    assert Unit.objects.get(pk=world.grid_a.pk).parent == world.community_a2


def _upload(client, model: str, *rows):
    headers = ["姓名", "性别", "手机号", "身份证号", "所属单位代码", "是否党员", "入党日期", "职务"]
    data = XLSX().export_data(tablib.Dataset(*rows, headers=headers))
    return client.post(
        reverse(f"admin:governance_{model}_import"),
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile("people.xlsx", data),
        },
    )


def test_the_import_page_lists_row_errors_before_anything_is_confirmed(client, world):
    services.unit_update(unit=Unit.objects.get(pk=world.community_a.pk), code="370116001001")
    client.force_login(staff(world.district_admin))
    before = Person.objects.count()
    response = _upload(
        client,
        "person",
        ["赵六", "男", "13800000001", "", "370116001001", "否", "", ""],
        ["钱七", "女", "1234", "", "370116001001", "否", "", ""],
    )
    assert "confirm_form" not in response.context
    invalid = response.context["result"].invalid_rows
    assert [(row.number, list(row.field_specific_errors)) for row in invalid] == [(3, ["手机号"])]
    assert "手机号" in response.content.decode()
    assert Person.objects.count() == before


def test_a_clean_file_is_previewed_then_imported_and_recorded(client, world):
    services.unit_update(unit=Unit.objects.get(pk=world.community_a.pk), code="370116001001")
    client.force_login(staff(world.district_admin))
    preview = _upload(
        client, "person", ["赵六", "男", "13800000001", "", "370116001001", "是", "2001-07-01", ""]
    )
    assert not Person.objects.filter(name="赵六").exists()
    confirm = preview.context["confirm_form"]
    response = client.post(
        reverse("admin:governance_person_process_import"),
        {name: confirm.initial[name] for name in confirm.fields},
    )
    assert response.status_code == 302
    assert Person.objects.get(name="赵六").unit == world.community_a
    event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    assert (event.actor, event.row_count, event.detail["file"]) == (
        world.district_admin,
        1,
        "people.xlsx",
    )


def test_a_file_that_no_longer_imports_cleanly_at_confirmation_saves_nothing(client, world):
    services.unit_update(unit=Unit.objects.get(pk=world.community_a.pk), code="370116001001")
    client.force_login(staff(world.district_admin))
    preview = _upload(
        client,
        "person",
        ["赵六", "男", "", "", "370116001001", "否", "", ""],
        ["钱七", "女", "", "", "370116001001", "否", "", ""],
    )
    confirm = preview.context["confirm_form"]
    # Between preview and confirmation the unit's code changes: both rows now fail.
    services.unit_update(unit=Unit.objects.get(pk=world.community_a.pk), code="370116001002")
    response = client.post(
        reverse("admin:governance_person_process_import"),
        {name: confirm.initial[name] for name in confirm.fields},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("admin:governance_person_import")
    assert "370116001001" in response.content.decode()
    assert not Person.objects.filter(name__in=["赵六", "钱七"]).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).exists()


def test_the_admin_export_is_scoped_masked_and_recorded(client, world, outsider):
    client.force_login(staff(world.staff_a))
    response = client.post(
        reverse("admin:governance_person_export"), {"resource": "0", "format": "0"}
    )
    assert response["Content-Type"] == XLSX.CONTENT_TYPE
    rows = XLSX().create_dataset(response.content).dict
    assert {r["姓名"] for r in rows} == set(
        Person.objects.within(world.township_a).values_list("name", flat=True)
    )
    assert next(r for r in rows if r["姓名"] == "李四")["手机号"] == "138****1234"
    assert AuditEvent.objects.get(action=AuditEvent.Action.EXPORT).actor == world.staff_a


def test_a_role_without_export_or_import_rights_gets_neither(client, world):
    client.force_login(staff(world.worker_a))
    assert client.get(reverse("admin:governance_person_export")).status_code == 403
    assert client.get(reverse("admin:governance_person_import")).status_code == 403


def test_memberships_are_added_through_the_service(client, world):
    client.force_login(staff(world.district_admin))
    account = world.secretary_b
    url = reverse("admin:governance_membership_add")
    form = {
        "user": account.pk,
        "unit": world.community_b.pk,
        "started_on": "2024-01-01",
        "ended_on": "",
    }
    wrong = client.post(url, {**form, "role": Role.GRID_WORKER})
    assert "role" in wrong.context["adminform"].form.errors
    assert client.post(url, {**form, "role": Role.VILLAGE_CADRE}).status_code == 302
    assert Membership.objects.filter(user=account, role=Role.VILLAGE_CADRE).exists()


def test_everyone_but_a_superuser_sees_only_their_own_notifications(client, world, root):
    mine = _notify(world.staff_a)
    theirs = _notify(world.staff_b)
    client.force_login(staff(world.staff_a))
    assert listed(client, "notification") == [mine]
    assert client.get(change(theirs)).status_code == 302
    client.force_login(root)
    assert set(listed(client, "notification")) == {mine, theirs}


def _notify(user):
    return Notification.objects.create(
        recipient=user,
        kind="test",
        day="2026-01-05",
        title=f"给{user.username}的提醒",
        subject_type=ContentType.objects.get_for_model(user),
        subject_id=user.pk,
    )


def test_notifications_and_audit_events_are_read_only(client, world):
    services.audit_record(
        actor=world.district_admin,
        action=AuditEvent.Action.EXPORT,
        target="governance.person",
        unit=world.district,
    )
    client.force_login(staff(world.district_admin))
    event = AuditEvent.objects.get()
    response = client.get(change(event))
    assert response.status_code == 200 and not response.context["has_change_permission"]
    assert client.post(change(event), {"target": "x"}).status_code == 403
    assert client.get(reverse("admin:governance_auditevent_add")).status_code == 403
