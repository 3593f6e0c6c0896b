"""The household register: list, forms, Excel import and exports, with scope and masking."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from governance.models import AuditEvent
from governance.testing import moment
from governance.tests.factories import valid_id_number
from grids.models import Household, VisitLog
from grids.resources import COLUMNS, HouseholdImporter
from grids.tests.factories import make_household

pytestmark = pytest.mark.django_db

HEADERS = list(COLUMNS.values())
# Session, user, memberships, count, page, tags of the page, grid choices, care tags, plus the
# base template's person and unread notifications; one more to look up a tag filter.
LIST_QUERIES = 10
LIST = reverse("grids:household-list")
IMPORT = reverse("grids:household-import")


def xlsx(rows, headers=HEADERS) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile("户籍台账.xlsx", data.getvalue())


def row(grid="G-A1", room="101", name="李四", phone="13812341234", id_number="", members=3,
        tags="", building="1号楼", entrance="1单元", address=""):  # fmt: skip
    return [grid, building, entrance, room, address, name, phone, id_number, members, tags]


def problems(response) -> list[tuple]:
    return list(response.context["outcome"].problems)


# The list ------------------------------------------------------------------------------------


def test_list_shows_the_scope_masked(client, register):
    make_household(register.grid_a, head_name="张三丰", head_phone="13812345678")
    make_household(register.grid_b, head_name="王老五")
    client.force_login(register.worker_a)
    response = client.get(LIST)
    body = response.content.decode()
    assert response.status_code == 200
    assert "张**" in body and "138****5678" in body
    assert "张三丰" not in body and "13812345678" not in body
    assert "王" not in body.split('data-testid="households"')[1]


def test_list_filters_by_grid_search_and_tag(client, register):
    tagged = make_household(register.grid_a, room="101")
    tagged.tags.add(register.elderly)
    make_household(register.grid_a, room="202", building="2号楼")
    make_household(register.grid_a2, room="301", head_name="孙悟空")
    client.force_login(register.secretary_a)

    def shown(**params):
        return {h.pk for h in client.get(LIST, params).context["page"]}

    assert len(shown()) == 3
    assert len(shown(grid=register.grid_a.pk)) == 2
    assert len(shown(q="2号楼")) == 1
    assert len(shown(q="孙悟空")) == 1
    assert shown(tag=register.elderly.pk) == {tagged.pk}


def test_deactivated_households_leave_the_list(client, register):
    gone = make_household(register.grid_a)
    client.force_login(register.secretary_a)
    response = client.post(reverse("grids:household-deactivate", args=[gone.pk]))
    assert response.status_code == 302
    gone.refresh_from_db()
    assert not gone.is_active
    assert gone.pk not in {h.pk for h in client.get(LIST).context["page"]}


def test_a_grid_worker_gets_404_for_another_grid(client, register):
    other = make_household(register.grid_b)
    client.force_login(register.worker_a)
    assert client.get(LIST, {"grid": register.grid_b.pk}).status_code == 404
    assert client.get(reverse("grids:household-edit", args=[other.pk])).status_code == 404
    assert (
        client.get(reverse("grids:household-export"), {"grid": register.grid_b.pk}).status_code
        == 404
    )
    assert (
        client.get(reverse("grids:visit-export"), {"grid": register.grid_b.pk}).status_code == 404
    )


@pytest.mark.parametrize("viewer", ["secretary_a", "worker_a"])
def test_the_list_costs_the_same_queries_for_5_or_60_households(
    client, register, viewer, django_assert_num_queries
):
    client.force_login(getattr(register, viewer))
    for n in range(5):
        make_household(register.grid_a, room=str(100 + n)).tags.add(
            register.elderly, register.veteran
        )
    client.get(LIST)  # warm caches (content types, translations)
    with django_assert_num_queries(LIST_QUERIES):
        client.get(LIST)
    for n in range(60):
        make_household(register.grid_a, room=str(200 + n), head_phone="13800000000").tags.add(
            register.elderly
        )
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(LIST)
    assert len(response.context["page"]) == 50
    with django_assert_num_queries(LIST_QUERIES + 1):
        response = client.get(LIST, {"page": 2, "tag": register.elderly.pk, "q": "号楼"})
    assert len(response.context["page"]) == 15


# Forms ---------------------------------------------------------------------------------------


def test_staff_add_a_household_with_district_tags(client, register):
    client.force_login(register.secretary_a)
    response = client.post(
        reverse("grids:household-create"),
        {
            "grid": register.grid_a.pk,
            "building": "３号楼",
            "entrance": "2 单元",
            "room": "５０１",
            "head_name": " 李  四 ",
            "head_phone": "１３８ 1234 1234",
            "head_id_number": valid_id_number(7).lower(),
            "members": 2,
            "tags": [register.elderly.pk],
        },
    )
    assert response.status_code == 302
    h = Household.objects.get()
    assert (h.building, h.entrance, h.room, h.head_name, h.head_phone) == (
        "3号楼",
        "2单元",
        "501",
        "李 四",
        "13812341234",
    )
    assert list(h.tags.all()) == [register.elderly]


def test_the_form_refuses_a_duplicate_address(client, register):
    make_household(register.grid_a, building="1号楼", entrance="1单元", room="101")
    client.force_login(register.secretary_a)
    response = client.post(
        reverse("grids:household-create"),
        {"grid": register.grid_a.pk, "building": "1号楼", "entrance": "1单元", "room": "101",
         "head_name": "新户", "members": 1},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["room"]
    assert Household.objects.count() == 1


def test_a_grid_worker_keeps_the_register_of_their_own_grid_only(client, register):
    mine, theirs = make_household(register.grid_a), make_household(register.grid_b)
    client.force_login(register.worker_a)
    assert client.get(reverse("grids:household-create")).status_code == 200
    assert client.get(reverse("grids:household-edit", args=[mine.pk])).status_code == 200
    assert client.get(reverse("grids:household-edit", args=[theirs.pk])).status_code == 404


def test_edit_hides_personal_data_from_roles_that_may_not_see_it(client, register):
    h = make_household(register.grid_a, head_phone="13812345678")
    client.force_login(register.staff_a)  # manage_people, not view_personal_data
    response = client.get(reverse("grids:household-edit", args=[h.pk]))
    assert "head_phone" not in response.context["form"].fields
    assert "13812345678" not in response.content.decode()


def test_edit_shows_masked_numbers_and_keeps_them_unless_revealed_or_retyped(client, register):
    h = make_household(register.grid_a, head_name="赵六", head_phone="13812345678")
    url = reverse("grids:household-edit", args=[h.pk])
    client.force_login(register.secretary_a)
    page = client.get(url).content.decode()
    assert "13812345678" not in page and 'value="138****5678"' in page
    form = response_form_data(client.get(url))
    assert client.post(url, form).status_code == 302
    h.refresh_from_db()
    assert h.head_phone == "13812345678"
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.REVEAL).exists()

    page = client.post(url, {**form, "reveal": "1"}).content.decode()
    assert 'value="13812345678"' in page
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.REVEAL,
        actor=register.secretary_a,
        target=f"grids.household:{h.pk}",
    ).exists()

    client.post(url, {**form, "head_phone": "13900001111"})
    h.refresh_from_db()
    assert h.head_phone == "13900001111"


def response_form_data(response) -> dict:
    form = response.context["form"]
    data = {}
    for field in form:
        value = field.value()
        if value in (None, False):
            continue
        data[field.html_name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return data


# Import --------------------------------------------------------------------------------------


def preview(client, user, upload):
    client.force_login(user)
    return client.post(IMPORT, {"file": upload})


def test_import_previews_then_confirms_everything(client, register):
    upload = xlsx(
        [
            row(room="101", id_number=valid_id_number(1), tags="独居老人、退役军人"),
            row(room="102", tags="独居老人"),
            row(
                grid="G-A2", building="第三村民小组", entrance="", room="", address="牛泉村三组12号"
            ),
        ]
    )
    response = preview(client, register.secretary_a, upload)
    assert response.status_code == 200, problems(response)
    assert response.context["outcome"].count == 3
    assert "138****1234" in response.content.decode()
    assert Household.objects.count() == 0  # a preview writes nothing

    response = client.post(IMPORT, {"token": response.context["token"]})
    assert response.status_code == 302
    assert Household.objects.count() == 3
    first = Household.objects.get(room="101")
    assert set(first.tags.values_list("name", flat=True)) == {"独居老人", "退役军人"}
    event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    assert (event.actor, event.row_count, event.target) == (
        register.secretary_a,
        3,
        "grids.household",
    )
    # The token is spent: a second confirmation imports nothing more.
    client.post(IMPORT, {"token": response.wsgi_request.POST["token"]})
    assert Household.objects.count() == 3


def test_import_folds_full_width_characters_and_spaces(client, register):
    upload = xlsx(
        [row(grid="Ｇ-Ａ1 ", room="３０１", name=" 王　小 二 ", phone="１３８１２３４１２３４",
             id_number=valid_id_number(3).replace("3", "３"), members="４", building=" 5号楼 ")]
    )  # fmt: skip
    response = preview(client, register.secretary_a, upload)
    assert response.status_code == 200, problems(response)
    client.post(IMPORT, {"token": response.context["token"]})
    h = Household.objects.get()
    assert (h.grid, h.building, h.room, h.head_name, h.head_phone, h.members) == (
        register.grid_a, "5号楼", "301", "王 小 二", "13812341234", 4,
    )  # fmt: skip
    assert h.head_id_number == valid_id_number(3)


@pytest.mark.parametrize(
    "rows, expected",
    [
        ([row(id_number="370116199001011234")], (2, "身份证号")),
        ([row(grid="NOPE")], (2, "网格代码")),
        ([row(grid="G-B1")], (2, "网格代码")),
        ([row(room="101"), row(room="101", name="另一户")], (3, "房号")),
        ([row(id_number=valid_id_number(5)), row(room="102", id_number=valid_id_number(5))],
         (3, "身份证号")),
        ([row(tags="独居老人，外星人")], (2, "关注标签")),
        ([row(phone="12345")], (2, "联系电话")),
        ([row(members="很多")], (2, "家庭人数")),
        ([row(name="")], (2, "户主姓名")),
    ],
    ids=["bad-id", "unknown-grid", "out-of-scope-grid", "same-room-in-file", "same-id-in-file",
         "unknown-tag", "bad-phone", "bad-members", "no-name"],
)  # fmt: skip
def test_a_bad_row_is_reported_and_nothing_is_saved(client, register, rows, expected):
    rows = [row(room="999", name="好户"), *rows]  # a good row first: all or nothing
    response = preview(client, register.secretary_a, xlsx(rows))
    assert response.status_code == 400
    found = problems(response)
    assert (expected[0] + 1, expected[1]) in [(r, c) for r, c, _reason in found], found
    assert not response.context.get("token")
    assert Household.objects.count() == 0


def test_a_file_with_one_bad_row_saves_nothing_even_when_confirmed(register):
    upload = xlsx([row(room="101"), row(room="102", grid="NOPE"), row(room="103")])
    outcome = HouseholdImporter(register.secretary_a).run(upload.read(), dry_run=False)
    assert [(r, c) for r, c, _reason in outcome.problems] == [(3, "网格代码")]
    assert Household.objects.count() == 0
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).exists()


def test_a_confirmation_after_the_register_changed_saves_nothing(client, register):
    response = preview(client, register.secretary_a, xlsx([row(room="101"), row(room="102")]))
    assert response.status_code == 200, problems(response)
    make_household(register.grid_a, room="102")  # someone registers the same household meanwhile
    response = client.post(IMPORT, {"token": response.context["token"]})
    assert response.status_code == 400
    assert [(r, c) for r, c, _reason in problems(response)] == [(3, "房号")]
    assert Household.objects.count() == 1


def test_households_already_registered_are_reported(client, register):
    make_household(register.grid_a, building="1号楼", entrance="1单元", room="101")
    make_household(register.grid_a2, room="909", head_id_number=valid_id_number(9))
    response = preview(
        client,
        register.secretary_a,
        xlsx([row(room="101"), row(room="102", id_number=valid_id_number(9))]),
    )
    assert response.status_code == 400
    assert [(r, c) for r, c, _reason in problems(response)] == [(2, "房号"), (3, "身份证号")]
    assert Household.objects.count() == 2


def test_a_grid_worker_imports_only_into_their_own_grid(client, register):
    response = preview(
        client, register.worker_a, xlsx([row(grid="G-A1"), row(grid="G-B1", room="2")])
    )
    assert [(r, c) for r, c, _reason in problems(response)] == [(3, "网格代码")]


def test_a_grid_in_scope_without_manage_rights_is_refused(client, register):
    # A township's staff manage people in their township; community B is in township B.
    response = preview(
        client, register.staff_a, xlsx([row(grid="G-A1"), row(grid="G-B1", room="2")])
    )
    assert [(r, c) for r, c, _reason in problems(response)] == [(3, "网格代码")]


def test_an_empty_file_is_reported(client, register):
    response = preview(client, register.secretary_a, xlsx([]))
    assert response.status_code == 400
    assert problems(response)[0][0] is None
    assert Household.objects.count() == 0


def test_a_csv_renamed_xlsx_is_refused(client, register):
    upload = SimpleUploadedFile("户籍.xlsx", ",".join(HEADERS).encode() + b"\nG-A1,1,1,101\n")
    response = preview(client, register.secretary_a, upload)
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert Household.objects.count() == 0


def test_missing_columns_are_reported(client, register):
    response = preview(client, register.secretary_a, xlsx([["1号楼"]], headers=["楼栋/村民小组"]))
    assert "网格代码" in problems(response)[0][1]


def test_a_title_row_above_the_headers_keeps_excel_row_numbers(client, register):
    book = Workbook()
    sheet = book.active
    sheet.append(["花园社区户籍台账"])
    sheet.append(HEADERS)
    sheet.append(row(room="101"))
    sheet.append(row(grid="NOPE", room="102"))
    data = io.BytesIO()
    book.save(data)
    response = preview(client, register.secretary_a, SimpleUploadedFile("t.xlsx", data.getvalue()))
    assert [(r, c) for r, c, _reason in problems(response)] == [(4, "网格代码")]


# Exports -------------------------------------------------------------------------------------


def read(response) -> list[list]:
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize(
    "viewer, full",
    [("secretary_a", True), ("district_admin", True), ("staff_a", False), ("leader", False)],
)
def test_household_export_masks_unless_the_role_may_see(client, register, viewer, full):
    h = make_household(register.grid_a, head_name="张三丰", head_phone="13812345678",
                  head_id_number=valid_id_number(2))  # fmt: skip
    h.tags.add(register.elderly)
    make_household(register.grid_b, room="1")
    client.force_login(getattr(register, viewer))
    rows = read(client.get(reverse("grids:household-export"), {"grid": register.grid_a.pk}))
    assert rows[0][: len(HEADERS)] == HEADERS
    assert len(rows) == 2
    name, phone, number = rows[1][5:8]
    if full:
        assert (name, phone, number) == ("张三丰", "13812345678", valid_id_number(2))
    else:
        assert (name, phone) == ("张**", "138****5678") and "*" in number
    assert rows[1][9] == "独居老人"
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.row_count == 1 and event.detail["unmasked_rows"] == (1 if full else 0)


def test_a_grid_worker_may_not_export(client, register):
    client.force_login(register.worker_a)
    assert client.get(reverse("grids:household-export")).status_code == 403


def test_visit_export_filters_by_grid_and_date_and_is_recorded(client, register):
    h = make_household(register.grid_a)
    at = moment(2026, 3, 5, 10)
    for day in (1, 5, 20):
        VisitLog.objects.create(
            household=h, grid=register.grid_a, worker=register.worker_a, visited_at=at.replace(day=day),
            observed="一切正常",
        )  # fmt: skip
    VisitLog.objects.create(
        household=make_household(register.grid_b), grid=register.grid_b, worker=register.worker_b
    )
    client.force_login(register.staff_a)
    rows = read(
        client.get(
            reverse("grids:visit-export"),
            {"grid": register.grid_a.pk, "from": "2026-03-02", "to": "2026-03-20"},
        )
    )
    assert len(rows) == 3
    assert rows[1][6] == "张**"  # township staff: masked
    assert AuditEvent.objects.get(target="grids.visitlog").row_count == 2


def test_units_other_than_grids_are_not_grid_filters(client, register):
    client.force_login(register.secretary_a)
    assert client.get(LIST, {"grid": register.community_a.pk}).status_code == 404


def test_one_error_per_cell(client, register):
    response = preview(client, register.secretary_a, xlsx([row(members="3人")]))
    assert response.status_code == 400
    assert [(r, c) for r, c, _reason in problems(response)] == [(2, "家庭人数")]


def test_the_import_page_offers_a_blank_template_with_the_columns_it_reads(client, register):
    client.force_login(register.secretary_a)
    assert 'href="?template=1"' in client.get(IMPORT).content.decode()
    response = client.get(IMPORT, {"template": 1})
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [cell.value for cell in next(sheet.iter_rows())]
    assert headers == list(COLUMNS.values())
    # Filled in, it imports.
    filled = Workbook()
    filled.active.append(headers)
    filled.active.append(row())
    data = io.BytesIO()
    filled.save(data)
    upload = SimpleUploadedFile("t.xlsx", data.getvalue())
    assert preview(client, register.secretary_a, upload).status_code == 200
