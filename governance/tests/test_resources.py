import datetime

import pytest
import tablib
from django.db import transaction

from governance import services
from governance.models import Area, AuditEvent, Person, Unit, WorkZone
from governance.normalize import birth_date_from_id
from governance.resources import XLSX, PersonResource, UnitResource, row_errors
from governance.tests.factories import make_person, make_unit, valid_id_number

pytestmark = pytest.mark.django_db

UNIT_HEADERS = ["名称", "类型", "代码", "上级代码", "片区", "党建工作区"]
PERSON_HEADERS = [
    "姓名",
    "性别",
    "手机号",
    "身份证号",
    "所属单位代码",
    "是否党员",
    "入党日期",
    "职务",
]


def xlsx(headers, *rows) -> bytes:
    return XLSX().export_data(tablib.Dataset(*rows, headers=headers))


def export(resource) -> bytes:
    return XLSX().export_data(resource.export())


def read(data: bytes) -> list[dict]:
    return XLSX().create_dataset(data).dict


def load(resource, data: bytes, **kwargs):
    return resource.import_data(XLSX().create_dataset(data), **kwargs)


def counts() -> tuple[int, int]:
    return Unit.objects.count(), Person.objects.count()


@pytest.fixture
def root(django_user_model):
    return django_user_model.objects.create_superuser("root", password="pw-test-123")


@pytest.fixture
def coded(world):
    """The world's units with codes, so that files can name them."""
    for unit, code in (
        (world.township_a, "370116001"),
        (world.township_b, "370116002"),
        (world.community_a, "370116001001"),
        (world.community_b, "370116002001"),
        (world.grid_a, "370116001001-01"),
    ):
        # A fresh copy: the fixture's instances hold tree fields from before their children.
        services.unit_update(unit=Unit.objects.get(pk=unit.pk), code=code)
    return world


class _Discard(Exception):
    pass


def test_units_and_people_come_back_the_same_from_their_own_export(root):
    number = valid_id_number(7)
    with pytest.raises(_Discard), transaction.atomic():
        district = make_unit(None, Unit.Kind.DISTRICT, "莱芜区", code="370116")
        street = make_unit(district, Unit.Kind.STREET, "凤城街道", code="370116001")
        community = make_unit(street, Unit.Kind.COMMUNITY, "花园社区", code="370116001001")
        grid = make_unit(community, Unit.Kind.GRID, "花园第一网格", code="370116001001-01")
        make_unit(district, Unit.Kind.DEPARTMENT, "区住建局", code="370116-zjj")
        make_person(
            grid,
            "李四",
            gender="F",
            phone="13812341234",
            id_number=number,
            is_party_member=True,
            party_joined_on=datetime.date(2001, 7, 1),
            posts='=HYPERLINK("http://evil.example/","网格员")',
        )
        make_person(community, "王五", phone="0531-7654321", posts="-1")
        unit_file = export(UnitResource(user=root))
        person_file = export(PersonResource(user=root))
        units, people = _snapshot()
        raise _Discard
    assert counts() == (0, 0)

    assert not load(UnitResource(user=root), unit_file).has_validation_errors()
    assert not load(PersonResource(user=root), person_file).has_validation_errors()

    assert _snapshot() == (units, people)
    assert all(unit.parent == Unit.objects.get_parent(unit) for unit in Unit.objects.all())
    assert Person.objects.get(name="李四").birth_date == birth_date_from_id(number)


def _snapshot():
    units = {
        (u.name, u.kind, u.code, u.parent.code if u.parent else None, u.depth)
        for u in Unit.objects.select_related("parent")
    }
    people = {
        (
            p.name,
            p.gender,
            p.phone,
            p.id_number,
            p.unit.code,
            p.is_party_member,
            p.party_joined_on,
            p.posts,
        )
        for p in Person.objects.select_related("unit")
    }
    return units, people


def test_the_unit_export_reads_as_staff_write_it(coded):
    rows = read(export(UnitResource(user=coded.staff_a)))
    assert list(rows[0]) == UNIT_HEADERS
    assert rows[0] == {
        "名称": "凤城街道",
        "类型": "街道",
        "代码": "370116001",
        "上级代码": "370116",
        "片区": None,
        "党建工作区": None,
    }
    assert [r["名称"] for r in rows] == [
        "凤城街道",
        "花园社区",
        "花园第一网格",
        "花园第二网格",
        "鹏泉社区",
    ]


def test_a_bad_id_number_saves_nothing_and_names_row_and_column(coded):
    before = counts()
    data = xlsx(
        PERSON_HEADERS,
        ["赵六", "男", "13800000001", valid_id_number(3), "370116001001", "否", "", ""],
        ["钱七", "女", "13800000002", "110105194912310021", "370116001001", "否", "", ""],
    )
    result = load(PersonResource(user=coded.district_admin), data)
    assert [(row, column) for row, column, _ in row_errors(result)] == [(3, "身份证号")]
    assert counts() == before


def test_an_unknown_parent_code_saves_nothing(coded):
    before = counts()
    data = xlsx(
        UNIT_HEADERS,
        ["新社区", "社区", "370116001009", "370116001", "", ""],
        ["孤儿网格", "网格", "370116999001-01", "370116999001", "", ""],
    )
    result = load(UnitResource(user=coded.district_admin), data)
    assert [(row, column) for row, column, _ in row_errors(result)] == [(3, "上级代码")]
    assert "370116999001" in row_errors(result)[0][2]
    assert counts() == before


def test_units_and_people_outside_the_scope_are_row_errors(coded):
    before = counts()
    units = xlsx(
        UNIT_HEADERS,
        ["凤城新社区", "社区", "", "370116001", "", ""],
        ["牛泉新村", "村", "", "370116002", "", ""],
    )
    result = load(UnitResource(user=coded.staff_a), units)
    assert [(row, column) for row, column, _ in row_errors(result)] == [(3, "上级代码")]
    people = xlsx(PERSON_HEADERS, ["赵六", "男", "", "", "370116002001", "否", "", ""])
    result = load(PersonResource(user=coded.staff_a), people)
    assert [(row, column) for row, column, _ in row_errors(result)] == [(2, "所属单位代码")]
    assert counts() == before


def test_a_staffer_cannot_rename_their_own_township_by_import(coded):
    data = xlsx(UNIT_HEADERS, ["凤城街道办", "街道", "370116001", "370116", "", ""])
    result = load(UnitResource(user=coded.staff_a), data)
    assert [(row, column) for row, column, _ in row_errors(result)] == [(2, "代码")]
    assert Unit.objects.get(pk=coded.township_a.pk).name == "凤城街道"


def test_full_width_digits_and_spaces_are_accepted(coded):
    number = valid_id_number(11)
    wide = number.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    data = xlsx(
        PERSON_HEADERS,
        [
            "  赵　六 ",
            "男",
            "１３８ ００００ ０１２３",
            wide,
            "３７０１１６００１００１",
            "是",
            "2001年7月1日",
            "楼长",
        ],
    )
    result = load(PersonResource(user=coded.district_admin), data)
    assert not row_errors(result)
    person = Person.objects.get(id_number=number)
    assert (person.name, person.phone, person.unit) == ("赵 六", "13800000123", coded.community_a)
    assert person.party_joined_on == datetime.date(2001, 7, 1) and person.is_party_member


def test_existing_codes_update_units_and_their_groupings(coded):
    area = Area.objects.create(district=coded.district, name="东部片区")
    zone = WorkZone.objects.create(township=coded.township_a, name="第一工作区")
    data = xlsx(
        UNIT_HEADERS,
        ["凤城街道", "街道", "370116001", "370116", "东部片区", ""],
        ["花园新社区", "社区", "370116001001", "370116001", "", "第一工作区"],
    )
    result = load(UnitResource(user=coded.district_admin), data)
    assert not row_errors(result)
    assert [r.import_type for r in result.rows] == ["update", "update"]
    community = Unit.objects.get(pk=coded.community_a.pk)
    assert (community.name, community.work_zone, community.parent) == (
        "花园新社区",
        zone,
        coded.township_a,
    )
    assert Unit.objects.get(pk=coded.township_a.pk).area == area


def test_an_unknown_area_and_a_move_are_row_errors(coded):
    data = xlsx(
        UNIT_HEADERS,
        ["凤城街道", "街道", "370116001", "370116", "西部片区", ""],
        ["花园社区", "社区", "370116001001", "370116002", "", ""],
    )
    result = load(UnitResource(user=coded.district_admin), data)
    assert [(row, column) for row, column, _ in row_errors(result)] == [
        (2, "片区"),
        (3, "上级代码"),
    ]


def test_new_units_are_placed_under_their_parent_code(coded):
    data = xlsx(
        UNIT_HEADERS,
        ["新社区", "社区", "370116001009", "370116001", "", ""],
        ["新社区第一网格", "网格", "370116001009-01", "370116001009", "", ""],
    )
    result = load(UnitResource(user=coded.staff_a), data)
    assert not row_errors(result)
    grid = Unit.objects.get(code="370116001009-01")
    assert grid.parent.code == "370116001009" and Unit.objects.get_parent(grid) == grid.parent
    assert grid.parent.parent == coded.township_a


def test_a_missing_column_is_reported_for_the_file(coded):
    data = xlsx(["姓名", "手机号"], ["赵六", "13800000001"])
    result = load(PersonResource(user=coded.district_admin), data)
    assert result.has_errors()
    assert "所属单位代码" in str(result.base_errors[0].error)


def test_a_dry_run_saves_nothing_and_records_nothing(coded):
    data = xlsx(PERSON_HEADERS, ["赵六", "男", "", "", "370116001001", "否", "", ""])
    result = load(PersonResource(user=coded.district_admin), data, dry_run=True)
    assert [r.import_type for r in result.rows] == ["new"]
    assert not Person.objects.filter(name="赵六").exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).exists()


def test_export_masks_personal_data_for_a_role_that_may_not_see_it(coded):
    masked = read(export(PersonResource(user=coded.staff_a)))
    row = next(r for r in masked if r["姓名"] == "李四")
    assert (row["手机号"], row["身份证号"]) == ("138****1234", "1101**********002X")

    full = read(export(PersonResource(user=coded.secretary_a)))
    row = next(r for r in full if r["姓名"] == "李四")
    assert (row["手机号"], row["身份证号"]) == ("13812341234", "11010519491231002X")


def test_exports_hold_only_the_scope(coded):
    names = {r["姓名"] for r in read(export(PersonResource(user=coded.staff_b)))}
    assert "王五" in names and "李四" not in names


def test_every_export_and_import_is_recorded(coded):
    export(PersonResource(user=coded.secretary_a))
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (event.actor, event.target, event.unit) == (
        coded.secretary_a,
        "governance.person",
        coded.community_a,
    )
    assert event.row_count == Person.objects.for_user(coded.secretary_a).count()
    assert event.detail == {"unmasked_rows": 1}

    data = xlsx(UNIT_HEADERS, ["新社区", "社区", "370116001009", "370116001", "", ""])
    load(UnitResource(user=coded.staff_a), data, file_name="units.xlsx")
    event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    assert (event.actor, event.target, event.row_count) == (coded.staff_a, "governance.unit", 1)
    assert event.detail == {"file": "units.xlsx", "new": 1, "updated": 0}


def test_a_masked_file_can_be_edited_and_imported_back(coded):
    rows = read(export(PersonResource(user=coded.staff_a)))
    row = next(r for r in rows if r["姓名"] == "李四")
    row["职务"] = "楼栋长"
    result = load(PersonResource(user=coded.staff_a), xlsx(PERSON_HEADERS, list(row.values())))
    assert not row_errors(result)
    resident = Person.objects.get(pk=coded.resident_a.pk)
    assert (resident.posts, resident.phone, resident.id_number) == (
        "楼栋长",
        "13812341234",
        "11010519491231002X",
    )


def test_a_masked_value_cannot_stand_for_a_different_one(coded):
    data = xlsx(
        PERSON_HEADERS,
        ["李四", "", "139****1234", "1101**********002X", "370116001001-01", "否", "", ""],
    )
    result = load(PersonResource(user=coded.staff_a), data)
    assert [(row, column) for row, column, _ in row_errors(result)] == [(2, "手机号")]
