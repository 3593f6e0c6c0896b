import io
import re

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory

from governance.management.commands.seed_demo import (
    PASSWORD,
    district_scale_plan,
    foundation_plan,
)
from governance.models import Area, Membership, Person, Role, Unit, WorkZone
from governance.normalize import normalize_id_number
from governance.registry import registry
from governance.services import unit_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, scope="module")
def foundation_seeders(only_seeders):
    only_seeders("governance")


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    # The demo hashes nine passwords per run; the default hasher would make these tests slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Every row of every governance model and of the accounts, as plain values."""
    models = [*apps.get_app_config("governance").get_models(), get_user_model()]
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in models}


def unit(label: str) -> Unit:
    """The unit at a path of names from the district down, "莱芜区/凤城街道/花园社区"."""
    found = None
    for name in label.split("/"):
        qs = Unit.objects.filter(name=name)
        found = qs.get(parent=found) if found else qs.get(depth=1)
    return found


def assert_tree_consistent():
    assert Unit.objects.find_problems() == ([], [], [], [], [])
    for node in Unit.objects.select_related("parent"):
        assert node.parent == Unit.objects.get_parent(node), node.code
        assert node.numchild == Unit.objects.filter(parent=node).count(), node.code


def test_builds_both_districts_with_laiwus_areas_and_work_zones():
    seed()

    assert set(Unit.objects.filter(kind=Unit.Kind.DISTRICT).values_list("name", flat=True)) == {
        "莱芜区",
        "政和县",
    }
    laiwu = unit("莱芜区")
    townships = Unit.objects.filter(parent=laiwu).territory()
    assert townships.count() == 15
    assert townships.filter(kind=Unit.Kind.STREET).count() == 8
    assert sorted(
        Area.objects.filter(district=laiwu).values_list("townships__name", flat=True)
    ) == sorted(townships.values_list("name", flat=True))
    assert [a.townships.count() for a in Area.objects.filter(district=laiwu)] == [5, 5, 5]
    assert set(Unit.objects.filter(parent=laiwu).departments().values_list("name", flat=True)) == {
        "区住建局",
        "区民政局",
        "区人社局",
        "区卫健局",
        "区城管局",
        "区委社会工作部",
        "区委组织部",
    }
    for township in townships:
        villages = Unit.objects.filter(parent=township)
        assert 3 <= villages.count() <= 5
        expected = Unit.Kind.COMMUNITY if township.kind == Unit.Kind.STREET else Unit.Kind.VILLAGE
        assert set(villages.values_list("kind", flat=True)) == {expected}
        assert {v.work_zone.township for v in villages} == {township}
        for village in villages:
            grids = Unit.objects.filter(parent=village)
            assert 2 <= grids.count() <= 3
            assert grids.first().name == "第一网格"

    zhenghe = unit("政和县")
    assert Unit.objects.filter(parent=zhenghe).territory().count() == 10
    assert unit("政和县/熊山街道").kind == Unit.Kind.STREET
    assert unit("政和县/星溪乡").kind == Unit.Kind.TOWNSHIP
    assert unit("政和县/熊山街道/凤凰山社区").kind == Unit.Kind.COMMUNITY
    assert unit("政和县/熊山街道/南门社区").numchild >= 2
    assert unit("政和县/镇前镇/茶溪村").kind == Unit.Kind.VILLAGE
    departments = Unit.objects.filter(parent=zhenghe).departments()
    assert set(departments.values_list("name", flat=True)) == {"县住建局", "县人社局"}
    assert Unit.objects.filter(code=None).count() == 0
    assert_tree_consistent()


def test_people_have_valid_personal_data_and_fill_the_posts():
    seed()

    for person in Person.objects.select_related("unit"):
        assert normalize_id_number(person.id_number) == person.id_number
        assert person.birth_date.strftime("%Y%m%d") == person.id_number[6:14]
        assert int(person.id_number[16]) % 2 == (person.gender == Person.Gender.MALE)
        assert re.fullmatch(r"1[358]\d{9}", person.phone)
        assert person.is_party_member == (person.party_joined_on is not None)
    for village in Unit.objects.filter(kind__in=Unit.KINDS_BY_LEVEL[3]):
        posts = list(village.people.order_by("pk").values_list("posts", flat=True))
        assert len(posts) == 3 and "书记" in posts[0]
        assert village.people.get(posts=posts[0]).is_party_member
    assert not Unit.objects.filter(kind=Unit.Kind.GRID, people=None).exists()
    assert Person.objects.filter(is_party_member=True).exists()
    assert Person.objects.filter(is_party_member=False).exists()
    assert Person.objects.filter(id_number__startswith="350725").exists()


EXPECTED_ACCOUNTS = {
    "admin": {("莱芜区", Role.DISTRICT_ADMIN), ("政和县", Role.DISTRICT_ADMIN)},
    "laiwu_admin": {("莱芜区", Role.DISTRICT_ADMIN)},
    "laiwu_leader": {("莱芜区", Role.LEADER)},
    "fengcheng_staff": {("莱芜区/凤城街道", Role.TOWNSHIP_STAFF)},
    "shequ_shuji": {("莱芜区/凤城街道/花园社区", Role.COMMUNITY_SECRETARY)},
    "wanggeyuan": {("莱芜区/凤城街道/花园社区/第一网格", Role.GRID_WORKER)},
    "wanggeyuan2": {("莱芜区/牛泉镇/牛泉村/第一网格", Role.GRID_WORKER)},
    "zhujianju": {("莱芜区/区住建局", Role.DEPARTMENT_HANDLER)},
    "zhenghe_admin": {("政和县", Role.DISTRICT_ADMIN)},
}


def test_demo_accounts_sign_in_and_hold_their_roles():
    output = seed()

    assert PASSWORD in output
    User = get_user_model()
    assert set(User.objects.values_list("username", flat=True)) == set(EXPECTED_ACCOUNTS)
    for username, expected in EXPECTED_ACCOUNTS.items():
        assert username in output
        request = RequestFactory().post("/accounts/login/")
        user = authenticate(request, username=username, password=PASSWORD)
        assert user is not None, username
        assert user.person.unit_id is not None
        held = {(m.unit_id, m.role) for m in Membership.objects.current().filter(user=user)}
        assert held == {(unit(label).pk, role) for label, role in expected}, username
        assert user.is_superuser == (username == "admin")
        assert user.is_staff == (username in {"admin", "laiwu_admin", "zhenghe_admin"})
    assert unit("莱芜区/凤城街道/花园社区").people.filter(user__username="shequ_shuji").exists()
    assert User.objects.get(username="wanggeyuan").person.unit == unit(
        "莱芜区/凤城街道/花园社区/第一网格"
    )


def test_second_run_changes_nothing():
    seed()
    before = snapshot()

    output = seed()

    assert snapshot() == before
    assert "没有改动" in output


def test_refuses_under_production_unless_forced(settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="--force"):
        seed()
    assert not Unit.objects.exists()

    seed("--force")
    assert Unit.objects.filter(kind=Unit.Kind.DISTRICT).count() == 2


def test_district_scale_adds_villages_grids_and_workers_once():
    seed()
    laiwu = unit("莱芜区")
    numchild_before = {u.pk: u.numchild for u in Unit.objects.filter(parent=laiwu)}

    seed("--scale", "district", "--villages", "120", "--grids", "400")

    in_laiwu = Unit.objects.within(laiwu)
    assert in_laiwu.filter(kind__in=Unit.KINDS_BY_LEVEL[3]).count() == 120
    assert in_laiwu.filter(kind=Unit.Kind.GRID).count() == 400
    assert not Unit.objects.filter(kind=Unit.Kind.GRID, people=None).exists()
    assert (
        Person.objects.filter(unit__kind=Unit.Kind.GRID).count()
        == Unit.objects.filter(kind=Unit.Kind.GRID).count()
    )
    assert not in_laiwu.filter(kind__in=Unit.KINDS_BY_LEVEL[3], work_zone=None).exists()
    assert WorkZone.objects.filter(township__parent=laiwu).count() > 30
    grown = [u for u in Unit.objects.filter(parent=laiwu) if u.numchild > numchild_before[u.pk]]
    assert grown
    assert_tree_consistent()

    before = snapshot()
    seed("--scale", "district", "--villages", "120", "--grids", "400")
    assert snapshot() == before

    # A unit added through the services afterwards lands after the bulk-created siblings.
    township = unit("莱芜区/凤城街道")
    added = unit_create(parent=township, kind=Unit.Kind.COMMUNITY, name="新建社区")
    assert added.path > Unit.objects.filter(parent=township).exclude(pk=added.pk).last().path
    assert_tree_consistent()


def test_district_scale_defaults_are_laiwus_figures():
    foundation = foundation_plan()
    scale = district_scale_plan(foundation)
    laiwu_units = [u for u in foundation.units + scale.units if u.code.startswith("370116")]

    assert sum(u.kind in Unit.KINDS_BY_LEVEL[3] for u in laiwu_units) == 860
    assert sum(u.kind == Unit.Kind.GRID for u in laiwu_units) == 3000
    assert len({u.code for u in foundation.units + scale.units}) == len(
        foundation.units + scale.units
    )
    assert len({p.id_number for p in foundation.people + scale.people}) == len(
        foundation.people + scale.people
    )
    assert foundation_plan().people == foundation.people
    assert district_scale_plan(foundation).units == scale.units


def test_registered_seeders_run_after_the_foundation(monkeypatch):
    calls = []

    def seeder(*, stdout, scale, rng):
        calls.append((scale, rng.random(), Unit.objects.count()))
        stdout.write("seeded")

    monkeypatch.setattr(registry, "demo_seeders", [])
    registry.add_demo_seeder(seeder)
    registry.add_demo_seeder(seeder)

    first = seed()
    seed()

    assert "seeded" in first
    assert len(calls) == 2
    assert calls[0][0] == "demo" and calls[0][2] > 0
    assert calls[0][1] == calls[1][1]  # the same values on every run
