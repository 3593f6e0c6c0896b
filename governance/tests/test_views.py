import pytest
from django.urls import reverse

from governance.models import AuditEvent, Membership, Person, Unit
from governance.tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_grid_worker_home_shows_their_grid(client, world):
    client.force_login(world.worker_a)
    page = client.get(reverse("governance:home")).content.decode()
    assert "花园第一网格" in page
    assert "牛泉第一网格" not in page
    assert 'data-testid="my-grids"' in page


def test_leader_home_shows_the_overview(client, world):
    client.force_login(world.leader)
    response = client.get(reverse("governance:home"))
    assert 'data-testid="leader-panel"' in response.content.decode()
    panel = next(p for p in response.context["panels"] if "leader_units" in p)
    unit, counts = panel["leader_units"][0]
    assert unit == world.district
    assert counts["townships"] == 2 and counts["villages"] == 3 and counts["grids"] == 3


def test_staff_home_lists_their_units(client, world):
    client.force_login(world.staff_a)
    page = client.get(reverse("governance:home")).content.decode()
    assert 'data-testid="staff-panel"' in page and "凤城街道" in page


def test_the_site_speaks_chinese(client, world):
    client.force_login(world.staff_a)
    page = client.get(reverse("governance:unit-list")).content.decode()
    assert "行政区划" in page and 'lang="zh-CN"' in page


def test_staff_create_a_community_and_a_grid(client, world):
    client.force_login(world.staff_a)
    url = reverse("governance:unit-create", args=[world.township_a.pk])
    response = client.post(url, {"kind": "community", "name": "新建社区", "code": ""})
    community = Unit.objects.get(name="新建社区")
    assert response.status_code == 302 and community.parent == world.township_a
    client.post(
        reverse("governance:unit-create", args=[community.pk]), {"kind": "grid", "name": "新建网格"}
    )
    assert Unit.objects.get(name="新建网格").parent == community


def test_a_wrong_kind_is_refused_with_a_message(client, world):
    client.force_login(world.staff_a)
    response = client.post(
        reverse("governance:unit-create", args=[world.township_a.pk]),
        {"kind": "grid", "name": "错层网格"},
    )
    assert response.status_code == 200
    assert not Unit.objects.filter(name="错层网格").exists()
    assert response.context["form"].errors


def test_staff_cannot_edit_their_own_township_or_a_leader_anything(client, world):
    client.force_login(world.staff_a)
    assert (
        client.get(reverse("governance:unit-edit", args=[world.township_a.pk])).status_code == 403
    )
    client.force_login(world.leader)
    assert (
        client.get(reverse("governance:unit-edit", args=[world.community_a.pk])).status_code == 403
    )
    assert (
        client.post(
            reverse("governance:unit-create", args=[world.community_a.pk]),
            {"kind": "grid", "name": "领导建的"},
        ).status_code
        == 403
    )


def test_move_within_scope_only(client, world):
    client.force_login(world.staff_a)
    page = client.get(reverse("governance:unit-move", args=[world.grid_a.pk]))
    choices = list(page.context["form"].fields["new_parent"].queryset)
    assert world.community_a2 in choices and world.community_b not in choices
    client.post(
        reverse("governance:unit-move", args=[world.grid_a.pk]),
        {"new_parent": world.community_b.pk},
    )
    assert Unit.objects.get(pk=world.grid_a.pk).parent == world.community_a
    client.post(
        reverse("governance:unit-move", args=[world.grid_a.pk]),
        {"new_parent": world.community_a2.pk},
    )
    assert Unit.objects.get(pk=world.grid_a.pk).parent == world.community_a2


def test_person_form_explains_a_bad_id_number_in_chinese(client, world):
    client.force_login(world.secretary_a)
    response = client.post(
        reverse("governance:person-create"),
        {
            "name": "赵六",
            "unit": world.grid_a.pk,
            "phone": "13812345678",
            "id_number": "110105194912310021",
        },
    )
    assert response.status_code == 200
    assert "不是有效的居民身份证号" in response.content.decode()
    assert not Person.objects.filter(name="赵六").exists()


def test_person_cannot_be_placed_outside_scope(client, world):
    client.force_login(world.secretary_a)
    client.post(reverse("governance:person-create"), {"name": "越界", "unit": world.grid_b.pk})
    assert not Person.objects.filter(name="越界").exists()


def test_personal_data_is_masked_until_revealed_and_the_reveal_is_recorded(client, world):
    client.force_login(world.secretary_a)
    detail = client.get(reverse("governance:person-detail", args=[world.resident_a.pk]))
    page = detail.content.decode()
    assert "138****1234" in page and "13812341234" not in page
    assert "1101**********002X" in page
    response = client.post(
        reverse("governance:person-reveal", args=[world.resident_a.pk]), HTTP_HX_REQUEST="true"
    )
    assert "13812341234" in response.content.decode()
    assert "<html" not in response.content.decode()  # the partial only
    event = AuditEvent.objects.get()
    assert event.actor == world.secretary_a and event.action == "reveal"


def test_roles_without_the_need_cannot_reveal(client, world):
    client.force_login(world.staff_a)
    response = client.post(reverse("governance:person-reveal", args=[world.resident_a.pk]))
    assert response.status_code == 403
    assert not AuditEvent.objects.exists()
    page = client.get(reverse("governance:person-detail", args=[world.resident_a.pk]))
    assert "13812341234" not in page.content.decode()


def test_staff_edit_a_person_without_seeing_the_full_phone(client, world):
    client.force_login(world.staff_a)
    response = client.get(reverse("governance:person-edit", args=[world.resident_a.pk]))
    assert "13812341234" not in response.content.decode()
    client.post(
        reverse("governance:person-edit", args=[world.resident_a.pk]),
        {"name": "李四", "unit": world.grid_a.pk, "posts": "楼栋长"},
    )
    person = Person.objects.get(pk=world.resident_a.pk)
    assert person.posts == "楼栋长" and person.phone == "13812341234"


def test_the_edit_form_shows_masked_numbers_and_keeps_them_unless_revealed_or_retyped(
    client, world
):
    url = reverse("governance:person-edit", args=[world.resident_a.pk])
    client.force_login(world.secretary_a)  # may see personal data, through the reveal
    page = client.get(url).content.decode()
    assert "13812341234" not in page and "11010519491231002X" not in page
    assert 'value="138****1234"' in page and 'value="1101**********002X"' in page
    form = {"name": "李四", "unit": world.grid_a.pk, "posts": "楼栋长"}

    # Saved with the masks: the stored numbers stay.
    response = client.post(url, {**form, "phone": "138****1234", "id_number": "1101**********002X"})
    assert response.status_code == 302
    person = Person.objects.get(pk=world.resident_a.pk)
    assert (person.phone, person.id_number) == ("13812341234", "11010519491231002X")
    assert not AuditEvent.objects.exists()

    # The reveal on the form is the audited one.
    page = client.post(url, {**form, "reveal": "1"}).content.decode()
    assert 'value="13812341234"' in page and 'value="11010519491231002X"' in page
    event = AuditEvent.objects.get()
    assert (event.action, event.actor) == (AuditEvent.Action.REVEAL, world.secretary_a)

    # A number typed over the mask replaces it.
    client.post(url, {**form, "phone": "13900002222", "id_number": "1101**********002X"})
    person.refresh_from_db()
    assert (person.phone, person.id_number) == ("13900002222", "11010519491231002X")


def test_open_an_account_and_assign_a_role(client, world):
    person = make_person(world.grid_a2, "孙七")
    client.force_login(world.staff_a)
    client.post(
        reverse("governance:person-account", args=[person.pk]),
        {"username": "sunqi", "password": "Grid-Worker-2026"},
    )
    person.refresh_from_db()
    assert person.user.username == "sunqi"
    response = client.post(
        reverse("governance:membership-add", args=[world.grid_a2.pk]),
        {
            "user": person.user.pk,
            "role": "grid_worker",
            "started_on": "2026-01-01",
        },
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=person.user, unit=world.grid_a2).exists()


def test_end_a_role(client, world):
    membership = Membership.objects.get(user=world.worker_a)
    client.force_login(world.staff_a)
    client.post(reverse("governance:membership-end", args=[membership.pk]))
    membership.refresh_from_db()
    assert membership.ended_on is not None
    client.post(reverse("governance:membership-end", args=[membership.pk]))  # twice: refused
    assert Membership.objects.get(pk=membership.pk).ended_on == membership.ended_on


def test_people_list_filters_and_masks(client, world):
    client.force_login(world.staff_a)
    page = client.get(reverse("governance:person-list"), {"q": "李"}).content.decode()
    assert "李四" in page and "王五" not in page and "138****1234" in page
    rows = client.get(
        reverse("governance:person-list"), {"unit": world.grid_a.pk}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "李四" in rows and "<html" not in rows


def test_people_list_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    for i in range(60):
        make_person(world.grid_a if i % 2 else world.grid_a2, f"居民{i}")
    client.force_login(world.staff_a)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("governance:person-list"))
    assert len(response.context["page"].object_list) == 50


def test_unit_detail_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    from governance.tests.factories import make_member, make_unit

    for i in range(30):
        make_unit(world.community_a, Unit.Kind.GRID, f"加密网格{i}")
    for i in range(10):
        make_member(world.community_a, "village_cadre", f"cadre{i}")
    client.force_login(world.staff_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("governance:unit-detail", args=[world.community_a.pk]))
    assert len(response.context["children"]) == 32


def test_tree_children_partial(client, world):
    client.force_login(world.district_admin)
    response = client.get(
        reverse("governance:unit-children", args=[world.district.pk]), HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert "凤城街道" in page and "牛泉镇" in page and "政和县" not in page
    assert page.index("牛泉镇") < page.index("区住建局")  # departments after the territory


def test_the_browser_language_does_not_switch_to_english(client, world):
    client.force_login(world.staff_a)
    page = client.get(reverse("governance:unit-list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "行政区划" in page.content.decode()


def test_english_is_available(client, world, settings):
    client.force_login(world.staff_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("governance:unit-list")).content.decode()
    assert "Administrative tree" in page and 'lang="en"' in page
