"""The district's catalogues kept in the app (issue 14, item 7): care tags, visiting rounds,
activity categories and the matters catalogue, one mechanism (governance.catalogues)."""

import pytest
from django.urls import reverse

from governance.models import MatterCategory
from grids.models import CareTag, Household, RoundPolicy
from venues.models import ActivityCategory

pytestmark = pytest.mark.django_db

# url prefix, model, what a new row is posted with, the field an edit changes and its new value
CATALOGUES = {
    "grids:care-tag": (CareTag, {"name": "独居老人", "visit_every_days": "14"}, "name", "空巢老人"),
    "grids:visiting-round": (
        RoundPolicy,
        {"months": "3", "remind_days_before_end": "10"},
        "months",
        "1",
    ),
    "venues:activity-category": (
        ActivityCategory,
        {"code": "yizhen", "name": "义诊", "order": "10", "is_active": "on"},
        "name",
        "健康义诊",
    ),
    "ledger:category": (
        MatterCategory,
        {
            "code": "0101",
            "name": "房屋漏水",
            "grid_action": "report",
            "accept_limit": "1",
            "handle_limit": "10",
            "verify_limit": "5",
            "limit_unit": "workday",
            "is_active": "on",
        },
        "name",
        "屋顶漏水",
    ),
}


@pytest.mark.parametrize("prefix", sorted(CATALOGUES))
def test_the_district_admin_lists_creates_and_edits(client, world, prefix):
    model, data, field, new_value = CATALOGUES[prefix]
    client.force_login(world.district_admin)

    response = client.post(reverse(f"{prefix}-create"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse(f"{prefix}-list")
    row = model.objects.get()
    assert row.district == world.district

    page = client.get(reverse(f"{prefix}-list")).content.decode()
    assert reverse(f"{prefix}-edit", args=[row.pk]) in page

    response = client.post(reverse(f"{prefix}-edit", args=[row.pk]), {**data, field: new_value})
    assert response.status_code == 302
    row.refresh_from_db()
    assert str(getattr(row, field)) == new_value
    assert model.objects.count() == 1


@pytest.mark.parametrize("prefix", sorted(CATALOGUES))
def test_another_districts_row_is_not_found(client, world, prefix):
    model, data, field, new_value = CATALOGUES[prefix]
    client.force_login(world.other_admin)
    client.post(reverse(f"{prefix}-create"), data)
    theirs = model.objects.get(district=world.other_district)

    client.force_login(world.district_admin)
    url = reverse(f"{prefix}-edit", args=[theirs.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {**data, field: new_value}).status_code == 404
    assert url not in client.get(reverse(f"{prefix}-list")).content.decode()
    theirs.refresh_from_db()
    assert str(getattr(theirs, field)) != new_value


@pytest.mark.parametrize("prefix", sorted(CATALOGUES))
@pytest.mark.parametrize("account", ["staff_a", "leader", "secretary_a", "handler"])
def test_other_roles_are_refused(client, world, prefix, account):
    model, data, _field, _value = CATALOGUES[prefix]
    client.force_login(getattr(world, account))
    assert client.get(reverse(f"{prefix}-list")).status_code == 403
    assert client.post(reverse(f"{prefix}-create"), data).status_code == 403
    assert not model.objects.exists()


def test_a_second_tag_of_the_same_name_is_refused_in_chinese(client, world):
    CareTag.objects.create(district=world.district, name="独居老人")
    CareTag.objects.create(district=world.other_district, name="低保户")
    client.force_login(world.district_admin)
    response = client.post(reverse("grids:care-tag-create"), {"name": "独居老人"})
    assert response.status_code == 200
    assert "已经存在" in response.content.decode()
    assert CareTag.objects.filter(district=world.district).count() == 1
    # Another district's tag of that name is no clash.
    response = client.post(reverse("grids:care-tag-create"), {"name": "低保户"})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("prefix", "bad", "message"),
    [
        ("grids:care-tag", {"name": "", "visit_every_days": "14"}, "此项为必填项"),
        ("grids:care-tag", {"name": "独居老人", "visit_every_days": "0"}, "1 至 366"),
        ("grids:visiting-round", {"months": "1", "remind_days_before_end": "30"}, "一轮之内"),
        (
            "grids:visiting-round",
            {"months": "5", "remind_days_before_end": "3"},
            "选择一个有效的选项",
        ),
        ("venues:activity-category", {"code": "义诊", "name": "义诊", "order": "1"}, "下划线"),
        (
            "ledger:category",
            {**CATALOGUES["ledger:category"][1], "handle_limit": "0"},
            "至少为 1",
        ),
        (
            "ledger:category",
            {**CATALOGUES["ledger:category"][1], "accept_limit": "abc"},
            "输入整数",
        ),
    ],
)
def test_bad_input_is_refused_with_a_chinese_message(client, world, prefix, bad, message):
    model = CATALOGUES[prefix][0]
    client.force_login(world.district_admin)
    response = client.post(reverse(f"{prefix}-create"), bad)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not model.objects.exists()


def test_a_matter_cannot_sit_under_another_districts_category(client, world):
    theirs = MatterCategory.objects.create(district=world.other_district, code="01", name="住房")
    client.force_login(world.district_admin)
    data = {**CATALOGUES["ledger:category"][1], "parent": str(theirs.pk)}
    response = client.post(reverse("ledger:category-create"), data)
    assert response.status_code == 200
    assert not MatterCategory.objects.filter(district=world.district).exists()


def test_a_district_has_one_visiting_round(client, world):
    policy = RoundPolicy.objects.create(district=world.district)
    client.force_login(world.district_admin)
    page = client.get(reverse("grids:visiting-round-list")).content.decode()
    assert reverse("grids:visiting-round-create") not in page
    assert reverse("grids:visiting-round-edit", args=[policy.pk]) in page
    response = client.post(reverse("grids:visiting-round-create"), {"months": "3"})
    assert response.status_code == 404
    assert RoundPolicy.objects.count() == 1


def test_an_unused_care_tag_is_deleted_and_a_used_one_kept(client, world):
    unused = CareTag.objects.create(district=world.district, name="退役军人")
    used = CareTag.objects.create(district=world.district, name="独居老人")
    household = Household.objects.create(grid=world.grid_a, room="101", head_name="张三")
    household.tags.add(used)
    client.force_login(world.district_admin)

    page = client.get(reverse("grids:care-tag-list")).content.decode()
    assert reverse("grids:care-tag-delete", args=[unused.pk]) in page
    assert reverse("grids:care-tag-delete", args=[used.pk]) not in page

    assert client.get(reverse("grids:care-tag-delete", args=[unused.pk])).status_code == 405
    client.post(reverse("grids:care-tag-delete", args=[unused.pk]))
    response = client.post(reverse("grids:care-tag-delete", args=[used.pk]), follow=True)
    assert "无法删除" in response.content.decode()
    assert list(CareTag.objects.all()) == [used]


def test_the_settings_menu_opens_the_in_app_pages(client, world):
    client.force_login(world.district_admin)
    page = client.get(reverse("governance:home")).content.decode()
    for url_name in (
        "grids:care-tag-list",
        "grids:visiting-round-list",
        "venues:activity-category-list",
        "ledger:category-list",
    ):
        assert f'href="{reverse(url_name)}"' in page
    assert "/admin/grids/caretag/" not in page


def test_a_superuser_chooses_the_district(client, world, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="pw-test-123")
    client.force_login(root)
    response = client.post(
        reverse("grids:care-tag-create"), {"district": world.other_district.pk, "name": "低保户"}
    )
    assert response.status_code == 302
    assert CareTag.objects.get().district == world.other_district


def test_the_matters_list_costs_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for n in range(30):
        MatterCategory.objects.create(
            district=world.district, code=f"{n:04}", name=f"事项{n}", department=world.department
        )
    client.force_login(world.district_admin)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("ledger:category-list"))
    assert response.content.decode().count(world.department.name) == 30
