import pytest
from django.core.exceptions import ValidationError

from governance import services
from governance.models import Unit
from governance.tests.factories import make_unit

pytestmark = pytest.mark.django_db


def test_subtree_is_one_query(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        names = set(Unit.objects.subtree_of(world.township_a).values_list("name", flat=True))
    assert names == {"凤城街道", "花园社区", "鹏泉社区", "花园第一网格", "花园第二网格"}


def test_parent_column_matches_the_tree(world):
    for unit in Unit.objects.all():
        parent = Unit.objects.get_parent(unit)
        assert unit.parent_id == (parent.pk if parent else None), unit.name


@pytest.mark.parametrize(
    ("parent_attr", "kind"),
    [
        ("district", Unit.Kind.GRID),
        ("district", Unit.Kind.VILLAGE),
        ("township_a", Unit.Kind.TOWNSHIP),
        ("grid_a", Unit.Kind.GRID),
        ("department", Unit.Kind.COMMUNITY),
    ],
)
def test_a_unit_only_goes_under_the_level_above(world, parent_attr, kind):
    with pytest.raises(ValidationError):
        services.unit_create(parent=getattr(world, parent_attr), kind=kind, name="错层单位")


def test_a_district_is_a_root(world):
    with pytest.raises(ValidationError):
        services.unit_create(parent=None, kind=Unit.Kind.TOWNSHIP, name="无上级镇")


def test_move_takes_the_subtree_along(world):
    services.unit_move(unit=world.community_a, new_parent=world.township_b)

    moved = Unit.objects.get(pk=world.community_a.pk)
    grid = Unit.objects.get(pk=world.grid_a.pk)
    assert moved.parent_id == world.township_b.pk
    assert Unit.objects.get_parent(moved) == world.township_b
    assert grid.path.startswith(moved.path)
    assert set(Unit.objects.subtree_of(world.township_b).values_list("pk", flat=True)) >= {
        world.community_a.pk,
        world.grid_a.pk,
        world.grid_a2.pk,
    }
    assert (
        not Unit.objects.subtree_of(Unit.objects.get(pk=world.township_a.pk))
        .filter(pk=world.grid_a.pk)
        .exists()
    )


def test_move_refuses_wrong_level_and_cycles(world):
    with pytest.raises(ValidationError):
        services.unit_move(unit=world.community_a, new_parent=world.community_b)
    with pytest.raises(ValidationError):
        services.unit_move(unit=world.township_a, new_parent=world.township_a)


def test_area_must_belong_to_the_district(world):
    from governance.models import Area

    area = Area.objects.create(district=world.other_district, name="城区片区")
    with pytest.raises(ValidationError):
        services.unit_create(
            parent=world.district, kind=Unit.Kind.TOWNSHIP, name="外区镇", area=area
        )
    own = Area.objects.create(district=world.district, name="东部片区")
    township = services.unit_create(
        parent=world.district, kind=Unit.Kind.TOWNSHIP, name="和庄镇", area=own
    )
    assert township.area == own


def test_codes_are_unique_and_cleaned(world):
    unit = make_unit(world.district, Unit.Kind.TOWNSHIP, " 苗山镇 ", code="３７０１１６１０１")
    assert unit.name == "苗山镇"
    assert unit.code == "370116101"
    with pytest.raises(ValidationError):
        make_unit(world.district, Unit.Kind.TOWNSHIP, "重复镇", code="370116101")
