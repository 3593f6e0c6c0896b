import datetime
import io
import os
import zipfile
from urllib.parse import quote

import pytest
import time_machine
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from governance import excel
from governance import services as ground
from governance.importing import TOKEN_SALT
from governance.ledger import services
from governance.ledger.resources import EXPORT_COLUMNS, IMPORT_COLUMNS, ItemImporter
from governance.models import (
    AuditEvent,
    Ledger,
    LedgerEvent,
    LedgerItem,
    LedgerKind,
    Source,
    Status,
    Unit,
)
from governance.testing import moment
from governance.tests.factories import make_item

pytestmark = pytest.mark.django_db

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
# Wednesday 1 April 2026, 10:00 in Asia/Shanghai.
NOW = moment(2026, 4, 1, 10, 0)
HEADERS = list(IMPORT_COLUMNS)


def xlsx(headers, *rows, title: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    if headers is not None:
        sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def rows(*dicts) -> bytes:
    """A workbook with the given columns only, in the order of their first appearance."""
    headers = list(dict.fromkeys(key for d in dicts for key in d))
    return xlsx(headers, *([d.get(h) for h in headers] for d in dicts))


def import_url(ledger) -> str:
    return reverse("ledger:item-import", kwargs={"ledger_pk": ledger.pk})


def upload(client, ledger, data: bytes, name: str = "台账.xlsx"):
    return client.post(import_url(ledger), {"file": SimpleUploadedFile(name, data)})


def confirm(client, ledger, preview):
    return client.post(import_url(ledger), {"token": preview.context["token"]})


def counts() -> tuple[int, int]:
    return LedgerItem.objects.count(), LedgerEvent.objects.count()


def problems(response) -> list[tuple]:
    return response.context["outcome"].problems


def exported(response) -> list[dict]:
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    table = list(book.worksheets[0].iter_rows(values_only=True))
    return [dict(zip(table[0], row, strict=True)) for row in table[1:]]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def client(client, settings):
    """Messages are checked in English, whatever the translations say."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def w(ledger_world, now):
    """The ledger world with unit codes, so that files can name units."""
    for unit, code in (
        ("township_a", "370116001"),
        ("township_b", "370116002"),
        ("community_a", "370116001001"),
        ("community_b", "370116002001"),
        ("grid_a", "370116001001-01"),
        ("department", "370116-zjj"),
    ):
        fresh = Unit.objects.get(pk=getattr(ledger_world, unit).pk)
        setattr(ledger_world, unit, ground.unit_update(unit=fresh, code=code))
    return ledger_world


def new_item(w, **kwargs) -> LedgerItem:
    # Fixtures, not a user's action: no permission check.
    return make_item(w, **{"actor": None, "received_at": moment(2026, 3, 2, 9, 15), **kwargs})


def snapshot(items) -> set[tuple]:
    return {
        (
            i.number,
            i.title,
            i.description,
            i.source,
            i.resident_name,
            i.resident_phone,
            i.unit_id,
            i.category_id,
            i.responsible_unit_id,
            i.handler_id,
            i.measures,
            i.long_term_mechanism,
            i.received_at,
            i.due_at,
        )
        for i in items
    }


class _Discard(Exception):
    pass


# Round trip ---------------------------------------------------------------------------------


def test_an_export_imported_into_an_empty_ledger_reproduces_its_items(client, w):
    client.force_login(w.district_admin)
    with pytest.raises(_Discard), transaction.atomic():
        new_item(
            w,
            description="三楼楼道顶棚漏水，\n雨天更重。",
            handler=w.secretary_a,
            long_term_mechanism="雨季前排查",
        )
        new_item(
            w,
            title="=燃气味道",  # a formula-looking title stays text
            category=w.urgent,
            responsible_unit=w.department,
            source=Source.HOTLINE,
            resident_name="",
            resident_phone="0531-7654321",
            received_at=moment(2026, 3, 3, 14, 40, 5),
        )
        item = new_item(w, category=None, unit=w.community_a, resident_name="王小五")
        services.item_plan(
            item=item,
            actor=w.secretary_a,
            measures="联系物业维修",
            due_on=datetime.date(2026, 3, 20),
        )
        before = snapshot(LedgerItem.objects.filter(ledger=w.ledger))
        response = client.get(reverse("ledger:item-export"), {"ledger": w.ledger.pk})
        assert response.status_code == 200
        data = b"".join(response.streaming_content)
        raise _Discard
    assert counts() == (0, 0)

    preview = upload(client, w.ledger, data)
    assert preview.status_code == 200, problems(preview)
    assert counts() == (0, 0)  # the preview keeps nothing
    response = confirm(client, w.ledger, preview)
    assert response.status_code == 302
    assert response["Location"] == w.ledger.get_absolute_url()

    assert snapshot(LedgerItem.objects.all()) == before
    assert set(LedgerItem.objects.values_list("status", flat=True)) == {Status.RECEIVED}
    assert LedgerItem.objects.get(title="=燃气味道").due_at.time() != datetime.time()


def test_the_export_writes_labels_dates_and_units_as_staff_read_them(client, w, settings):
    client.force_login(w.secretary_a)
    item = new_item(w, handler=w.secretary_a)
    services.item_accept(item=item, actor=w.secretary_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = client.get(reverse("ledger:item-export"))
    # A Chinese file name, sent as RFC 5987 says: 台账事项-2026-03-02.xlsx (time-travelled).
    assert response["Content-Disposition"] == (
        f"attachment; filename*=utf-8''{quote(f'台账事项-{timezone.localdate():%Y-%m-%d}.xlsx')}"
    )
    [row] = exported(response)
    assert list(row) == list(EXPORT_COLUMNS)
    assert set(HEADERS) <= set(row)  # every column the import reads
    assert row["来源"] == "书记接待日"
    assert row["状态"] == "已受理"
    # Names for people, the ledger and the light; codes at the end for the import.
    assert row["台账"] == item.ledger.name
    assert (row["发生单位"], row["发生单位代码"]) == (item.unit.name, "370116001001-01")
    assert (row["事项类别"], row["事项类别代码"]) == (item.category.name, "0101")
    assert row["责任单位"] == item.responsible_unit.name
    assert row["亮灯"] == "红灯"  # due 16 March, exported on 1 April
    assert row["承办人"] == "shuji_a"  # the person's name (make_member names them so)
    assert row["登记时间"] == datetime.datetime(2026, 3, 2, 9, 15)
    # Ten working days from Monday 2 March 2026: due at the end of Monday 16 March.
    assert row["办理时限"] == datetime.datetime(2026, 3, 16)
    assert row["联系电话"] == "13812341234"


# Messy cells --------------------------------------------------------------------------------


def test_full_width_digits_stray_spaces_and_date_formats_are_understood(client, w):
    client.force_login(w.secretary_a)
    dates = [
        ("2026/3/5", datetime.date(2026, 3, 5)),
        ("2026-03-06", datetime.date(2026, 3, 6)),
        ("2026年3月9日", datetime.date(2026, 3, 9)),
        ("2026.3.10", datetime.date(2026, 3, 10)),
        (46094, datetime.date(2026, 3, 13)),  # an Excel serial date in a "General" cell
        (datetime.datetime(2026, 3, 16), datetime.date(2026, 3, 16)),  # a real date cell
        ("２０２６年３月１７日", datetime.date(2026, 3, 17)),
        (" 2026 / 3 / 18 ", datetime.date(2026, 3, 18)),
    ]
    data = rows(
        *(
            {
                "编号": f"ＬＷ－２０２６－９００{n}" if n == 0 else f"LW-2026-900{n}",
                " 标题 ": f"  楼道   漏水{n} ",
                "发生单位代码": " ３７０１１６００１００１－０１ ",
                "联系电话": "１３８ １２３４ １２３４",
                "登记时间": "2026/3/2",
                "办理时限": cell,
            }
            for n, (cell, _expected) in enumerate(dates)
        )
    )
    response = confirm(client, w.ledger, upload(client, w.ledger, data))
    assert response.status_code == 302
    items = {i.number: i for i in LedgerItem.objects.all()}
    assert items["LW-2026-9000"].title == "楼道 漏水0"
    for n, (_cell, expected) in enumerate(dates):
        item = items[f"LW-2026-900{n}"]
        assert item.unit == w.grid_a
        assert item.resident_phone == "13812341234"
        assert item.received_at == moment(2026, 3, 2)
        # A deadline given as a day is due at its end (24:00).
        assert item.due_at == moment(*(expected + datetime.timedelta(days=1)).timetuple()[:3])


def test_a_title_row_above_the_headers_keeps_excel_row_numbers(client, w):
    client.force_login(w.secretary_a)
    data = xlsx(
        ["标题", "办理时限"],
        ["楼道漏水", "2026-04-30"],
        ["路灯不亮", "三月底"],
        title="花园社区书记接待日诉求台账",
    )
    response = upload(client, w.ledger, data)
    assert problems(response) == [
        (4, "办理时限", "“三月底” is not a date; write it as 2026-03-05 or 2026年3月5日.")
    ]


def test_defaults_come_from_the_ledger_and_the_category(client, w):
    client.force_login(w.secretary_a)
    data = rows({"标题": "楼道漏水", "事项类别": "房屋漏水", "承办人": "shuji_a"})
    confirm(client, w.ledger, upload(client, w.ledger, data))
    item = LedgerItem.objects.get()
    assert item.unit == w.community_a  # the ledger's unit
    assert item.responsible_unit == w.community_a
    assert item.source == Source.RECEPTION_DAY  # the ledger's kind
    assert item.category == w.category  # by name
    assert item.handler == w.secretary_a  # by the person's name
    assert item.number == "LW-2026-000001"
    assert item.received_at == NOW
    assert item.due_at is not None  # the category's ten working days


def test_a_unit_above_or_a_department_may_be_made_responsible(client, w):
    client.force_login(w.secretary_a)
    data = rows(
        {"标题": "主干道积水", "发生单位代码": "370116001001", "责任单位代码": "凤城街道"},
        {"标题": "楼体裂缝", "发生单位代码": "370116001001", "责任单位代码": "370116-zjj"},
    )
    assert confirm(client, w.ledger, upload(client, w.ledger, data)).status_code == 302
    assert {i.responsible_unit for i in LedgerItem.objects.all()} == {w.township_a, w.department}


# Errors: nothing saved --------------------------------------------------------------------


def _good(**cells) -> dict:
    return {"标题": "楼道漏水", "发生单位代码": "370116001001-01", **cells}


ROW_ERRORS = [
    pytest.param([_good(办理时限="2026-02-30")], (2, "办理时限"), id="bad-date"),
    pytest.param([_good(登记时间="2027-01-01")], (2, "登记时间"), id="future"),
    pytest.param(
        [_good(登记时间="2026-03-10", 办理时限="2026-03-01")], (2, "办理时限"), id="deadline-first"
    ),
    pytest.param([_good(发生单位代码="370116999")], (2, "发生单位代码"), id="unknown-unit"),
    pytest.param([_good(发生单位代码="370116002001")], (2, "发生单位代码"), id="unit-outside"),
    pytest.param([_good(发生单位代码="350725")], (2, "发生单位代码"), id="other-district"),
    pytest.param([_good(责任单位代码="370116002")], (2, "责任单位代码"), id="responsible-outside"),
    pytest.param([_good(事项类别="0999")], (2, "事项类别"), id="unknown-category"),
    pytest.param([_good(承办人="shuji_b")], (2, "承办人"), id="handler-elsewhere"),
    pytest.param([_good(来源="广播")], (2, "来源"), id="unknown-source"),
    pytest.param([_good(状态="差不多")], (2, "状态"), id="unknown-status"),
    pytest.param([_good(联系电话="138****1234")], (2, "联系电话"), id="masked-phone"),
    pytest.param([_good(联系电话="12345")], (2, "联系电话"), id="bad-phone"),
    pytest.param([_good(标题="  ")], (2, "标题"), id="no-title"),
    pytest.param(
        [_good(编号="LW-2026-000777"), _good(), _good(编号="LW-2026-000777")],
        (4, "编号"),
        id="number-twice-in-file",
    ),
    pytest.param([_good(编号="LW-2026-000001")], (2, "编号"), id="number-taken"),
    pytest.param([_good(), _good(), _good(办理时限="下周")], (4, "办理时限"), id="last-row-bad"),
]


@pytest.mark.parametrize(("cells", "where"), ROW_ERRORS)
def test_a_bad_row_is_reported_and_nothing_is_saved(client, w, tmp_path, cells, where):
    new_item(w, ledger=w.ledger_b, unit=w.community_b, responsible_unit=w.community_b)
    services.item_create(
        ledger=w.ledger, title="已有事项", unit=w.community_a, actor=w.secretary_a
    )  # takes LW-2026-000001
    client.force_login(w.secretary_a)
    before = counts()
    response = upload(client, w.ledger, rows(*cells))
    assert response.status_code == 400
    assert where in [(row, column) for row, column, _reason in problems(response)]
    assert not response.context.get("token")
    assert counts() == before
    assert not (tmp_path / "imports").exists() or not any((tmp_path / "imports").iterdir())


def _csv() -> bytes:
    return "标题,发生单位代码\n楼道漏水,370116001001-01\n".encode("utf-8-sig")


def _zip_not_xlsx() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return output.getvalue()


FILE_ERRORS = [
    pytest.param(_csv(), "not an Excel workbook", id="csv-renamed-xlsx"),
    pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "not an Excel", id="old-xls"),
    pytest.param(_zip_not_xlsx(), "not an Excel workbook", id="zip-not-xlsx"),
    pytest.param(xlsx(None), "lacks the columns: 标题", id="empty-workbook"),
    pytest.param(xlsx(["标题", "发生单位代码"]), "no data rows", id="headers-only"),
    pytest.param(
        xlsx(["标题", "发生单位代码"], [None, None], ["  ", None]), "no data rows", id="blank-rows"
    ),
    pytest.param(
        xlsx(["名称", "代码"], ["花园社区", "1"]), "lacks the columns: 标题", id="other-file"
    ),
    pytest.param(
        xlsx(["标题", "标题"], ["a", "b"]), "“标题” appears more than once", id="column-twice"
    ),
]


@pytest.mark.parametrize(("data", "message"), FILE_ERRORS)
def test_a_file_that_is_not_a_ledger_workbook_is_refused_with_a_reason(client, w, data, message):
    client.force_login(w.secretary_a)
    response = upload(client, w.ledger, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert not response.context.get("token")
    assert counts() == (0, 0)


def test_an_empty_upload_is_refused(client, w):
    client.force_login(w.secretary_a)
    response = upload(client, w.ledger, b"")
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert counts() == (0, 0)


# Preview and confirmation ------------------------------------------------------------------


def test_the_preview_shows_what_will_be_made_and_what_is_not_read(client, w):
    client.force_login(w.secretary_a)
    data = rows(
        _good(编号="LW-2026-000900", 状态="已办结", 满意度="满意", 备注="老住户"),
        _good(联系电话="13812341234", 反映人="李四"),
    )
    response = upload(client, w.ledger, data)
    assert response.status_code == 200
    assert [cells[0] for cells in response.context["outcome"].rows] == [2, 3]
    assert response.context["importer"].ignored_columns == ["备注"]
    assert response.context["importer"].history_rows == 1
    page = response.content.decode()
    assert "LW-2026-000900" in page and "138****1234" in page and "13812341234" not in page
    assert "李*" in page


def test_one_bad_row_saves_nothing_even_written_for_good(w):
    importer = ItemImporter(w.secretary_a, ledger=w.ledger)
    outcome = importer.run(rows(_good(), _good(发生单位代码="370116999"), _good()), dry_run=False)
    assert [(row, column) for row, column, _reason in outcome.problems] == [(3, "发生单位代码")]
    assert counts() == (0, 0)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).exists()


def test_the_upload_is_kept_under_a_purpose_naming_the_ledger(w):
    purpose = ItemImporter(w.secretary_a, ledger=w.ledger).purpose
    assert purpose.endswith(f":ledger={w.ledger.pk}")
    assert purpose != ItemImporter(w.secretary_a, ledger=w.ledger_b).purpose


def test_a_confirmed_import_is_saved_once_and_recorded(client, w, tmp_path):
    client.force_login(w.secretary_a)
    with CaptureQueriesContext(connection) as previewing:
        preview = upload(client, w.ledger, rows(_good(), _good(标题="路灯不亮")), name="三月.xlsx")
    # The preview takes no number, so it holds no lock on the ledger's number sequence.
    assert not [q for q in previewing.captured_queries if "numbersequence" in q["sql"]]
    assert len(list((tmp_path / "imports").iterdir())) == 1

    assert confirm(client, w.ledger, preview).status_code == 302
    assert counts() == (2, 2)
    assert set(LedgerItem.objects.values_list("number", flat=True)) == {
        "LW-2026-000001",
        "LW-2026-000002",
    }
    event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    assert (event.actor, event.target, event.row_count) == (
        w.secretary_a,
        "governance.ledgeritem",
        2,
    )
    assert event.detail["ledger"] == w.ledger.pk and event.detail["file"] == "三月.xlsx"
    assert not any((tmp_path / "imports").iterdir())

    again = confirm(client, w.ledger, preview)
    assert again.status_code == 302 and again["Location"] == import_url(w.ledger)
    assert counts() == (2, 2)


def test_a_token_works_only_for_its_user_and_ledger(client, w):
    client.force_login(w.secretary_a)
    preview = upload(client, w.ledger, rows(_good()))
    token = preview.context["token"]
    other_ledger = Ledger.objects.create(
        unit=w.community_a, name="网格问题台账", kind=LedgerKind.GRID_PROBLEM, prefix="HY"
    )
    forged = signing.dumps(
        {
            "user": w.secretary_a.pk,
            "purpose": ItemImporter(w.secretary_a, ledger=w.ledger).purpose,
            "file": "../../etc/passwd",
            "name": "x",
        },
        salt=TOKEN_SALT,
    )
    for attempt in (
        client.post(import_url(other_ledger), {"token": token}),
        client.post(import_url(w.ledger), {"token": token + "x"}),
        client.post(import_url(w.ledger), {"token": forged}),
    ):
        assert attempt.status_code == 302
    client.force_login(w.staff_a)
    assert client.post(import_url(w.ledger), {"token": token}).status_code == 302
    assert counts() == (0, 0)
    client.force_login(w.secretary_a)
    assert confirm(client, w.ledger, preview).status_code == 302
    assert counts() == (1, 1)


def test_rows_that_turned_bad_since_the_preview_save_nothing(client, w):
    client.force_login(w.secretary_a)
    preview = upload(client, w.ledger, rows(_good(), _good(编号="LW-2026-000050")))
    services.item_create(
        ledger=w.ledger,
        title="抢先",
        unit=w.community_a,
        actor=w.secretary_a,
        number="LW-2026-000050",
    )
    before = counts()
    response = confirm(client, w.ledger, preview)
    assert response.status_code == 400
    assert (3, "编号") in [(r, c) for r, c, _m in problems(response)]
    assert counts() == before
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).exists()


def test_the_empty_workbook_has_the_columns(client, w):
    client.force_login(w.secretary_a)
    response = client.get(import_url(w.ledger), {"template": "1"})
    assert response.status_code == 200
    assert excel.read_table(response.content, max_rows=10).headers == HEADERS


# Scope ---------------------------------------------------------------------------------------


def test_an_outsider_cannot_import_into_a_ledger_outside_their_scope(client, w):
    for user in (w.secretary_b, w.staff_b, w.other_admin, w.worker_a):
        client.force_login(user)
        assert client.get(import_url(w.ledger)).status_code == 404
        assert upload(client, w.ledger, rows(_good())).status_code == 404
    assert counts() == (0, 0)


def test_a_role_without_registering_items_cannot_import(client, w):
    client.force_login(w.leader)  # sees the district's ledgers, registers nothing
    assert client.get(import_url(w.ledger)).status_code == 403
    assert upload(client, w.ledger, rows(_good())).status_code == 403


def test_the_export_holds_only_rows_in_scope(client, w):
    mine = new_item(w)
    new_item(w, ledger=w.ledger_b, unit=w.community_b, responsible_unit=w.community_b)
    client.force_login(w.staff_a)
    assert [r["编号"] for r in exported(client.get(reverse("ledger:item-export")))] == [mine.number]
    client.force_login(w.district_admin)
    assert len(exported(client.get(reverse("ledger:item-export")))) == 2


def test_a_department_exports_only_what_was_handed_to_it(client, w):
    handed = new_item(w)
    services.item_hand_over(
        item=handed, actor=w.secretary_a, department=w.department, note="需住建部门处理"
    )
    new_item(w, title="门前积水")
    client.force_login(w.handler)
    rows_out = exported(client.get(reverse("ledger:item-export")))
    assert [r["编号"] for r in rows_out] == [handed.number]
    assert rows_out[0]["责任单位代码"] == "370116-zjj"
    # The department calls the resident back: it sees the phone in full.
    assert rows_out[0]["联系电话"] == "13812341234"


def test_the_export_masks_personal_data_for_roles_that_may_not_see_it(client, w):
    new_item(w)
    client.force_login(w.staff_a)  # township staff: no personal data
    [row] = exported(client.get(reverse("ledger:item-export")))
    assert (row["反映人"], row["联系电话"]) == ("李*", "138****1234")
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.detail["unmasked_rows"] == 0


def test_the_export_follows_the_list_filters_and_is_recorded(client, w):
    new_item(w, title="路灯不亮")
    accepted = new_item(w)
    services.item_accept(item=accepted, actor=w.secretary_a)
    client.force_login(w.secretary_a)
    response = client.get(reverse("ledger:item-export"), {"status": "accepted", "page": "3"})
    assert [r["编号"] for r in exported(response)] == [accepted.number]
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (event.actor, event.target, event.row_count) == (
        w.secretary_a,
        "governance.ledgeritem",
        1,
    )
    assert event.detail == {"filters": {"status": ["accepted"]}, "unmasked_rows": 1}


def test_a_role_without_export_gets_403(client, w):
    client.force_login(w.worker_a)
    assert client.get(reverse("ledger:item-export")).status_code == 403
    assert not AuditEvent.objects.exists()


def test_the_export_costs_the_same_whatever_its_length(client, w, django_assert_max_num_queries):
    client.force_login(w.district_admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("ledger:item-export"))
            b"".join(response.streaming_content)
        return len(captured)

    new_item(w, handler=w.secretary_a)
    few = queries()
    for n in range(50):
        new_item(
            w,
            title=f"事项{n}",
            handler=w.secretary_a if n % 2 else None,
            category=w.category if n % 3 else None,
            responsible_unit=w.department if n % 5 == 0 else w.community_a,
        )
    with django_assert_max_num_queries(few):
        response = client.get(reverse("ledger:item-export"))
        assert len(exported(response)) == 51


def test_numbers_given_out_later_skip_the_numbers_an_import_kept(client, w):
    client.force_login(w.secretary_a)
    confirm(client, w.ledger, upload(client, w.ledger, rows(_good(编号="LW-2026-000001"))))
    item = services.item_create(
        ledger=w.ledger, title="新事项", unit=w.community_a, actor=w.secretary_a
    )
    assert item.number == "LW-2026-000002"


def test_uploads_left_behind_are_removed_a_day_later(client, w, tmp_path):
    folder = tmp_path / "imports"
    folder.mkdir()
    stale = folder / "abandoned.xlsx"
    stale.write_bytes(b"x")
    old = (NOW - datetime.timedelta(days=2)).timestamp()
    os.utime(stale, (old, old))
    client.force_login(w.secretary_a)
    upload(client, w.ledger, rows(_good()))
    assert not stale.exists()
    assert len(list(folder.iterdir())) == 1
