"""The contact activity import and export (outreach.resources.contacts through
governance.importing): a file with one bad row saves nothing, the preview keeps nothing, the
blank template holds exactly the columns the importer reads, and names reached are masked in
the export."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from governance import excel
from governance.models import LedgerItem, Source
from governance.testing import frozen
from outreach.models import ContactActivity
from outreach.resources import contacts

pytestmark = pytest.mark.django_db


def _sheet(headers, *rows) -> bytes:
    book = Workbook()
    book.active.append(list(headers))
    for row in rows:
        book.active.append(list(row))
    return excel.workbook_bytes(book)


def test_a_contact_file_with_one_bad_row_saves_nothing(duty_world):
    w = duty_world
    row = [
        "2026-03-02",
        "谈心谈话",
        "花园社区",
        "staff_a",
        "凤城街道",
        "",
        "",
        2,
        "",
        "谈心",
        "路灯",
    ]
    data = _sheet(contacts.COLUMNS, row, [*row[:7], "许多", *row[8:]])
    with frozen(2026, 3, 10, 10):
        outcome = contacts.ContactImporter(w.staff_a).run(data, dry_run=False)
    assert [(r, column) for r, column, _reason in outcome.problems] == [(3, "覆盖人数")]
    assert not ContactActivity.objects.exists() and not LedgerItem.objects.exists()


def test_the_contact_template_holds_exactly_the_columns_read():
    importer = contacts.ContactImporter
    sheet = load_workbook(io.BytesIO(importer(None).blank())).active
    assert [c.value for c in next(sheet.iter_rows())] == list(importer.columns)


def _xlsx(headers, rows) -> SimpleUploadedFile:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile("file.xlsx", data.getvalue())


ACTIVITY_HEADERS = ["日期", "联系制度", "覆盖单位", "牵头人", "牵头人单位", "参加人员", "地点",
                    "覆盖人数", "群众姓名", "活动内容", "反映问题"]  # fmt: skip


def test_activity_import_and_export(client, duty_world):
    w = duty_world
    client.force_login(w.staff_a)
    with frozen(2026, 3, 10, 10):
        bad = _xlsx(
            ACTIVITY_HEADERS,
            [
                ["2026-03-02", "谈心谈话", "花园社区", "staff_a", "凤城街道", "", "", 2, "", "谈心", "路灯"],
                ["2026-03-03", "唱歌", "花园社区", "staff_a", "凤城街道", "", "", 2, "", "x", ""],
            ],
        )  # fmt: skip
        response = client.post(reverse("outreach:activity-import"), {"file": bad})
        assert response.status_code == 400
        problems = response.context["outcome"].problems
        assert [(row, column) for row, column, _reason in problems] == [(3, "联系制度")]
        assert not ContactActivity.objects.exists() and not LedgerItem.objects.exists()
        good = _xlsx(
            ACTIVITY_HEADERS,
            [
                ["2026-03-02", "谈心谈话", "花园社区", "staff_a", "凤城街道", "shuji_a", "社区",
                 2, "李四", "谈心", "路灯；积水"],
                ["2026-03-03", "共商共议", "鹏泉社区", "staff_a", "凤城街道", "", "", 20, "", "议事", ""],
            ],
        )  # fmt: skip
        preview = client.post(reverse("outreach:activity-import"), {"file": good})
        assert preview.status_code == 200 and preview.context["outcome"].count == 2
        assert not ContactActivity.objects.exists() and not LedgerItem.objects.exists()
        response = client.post(
            reverse("outreach:activity-import"), {"token": preview.context["token"]}
        )
        assert response.status_code == 302
        assert ContactActivity.objects.count() == 2
        assert LedgerItem.objects.filter(source=Source.CONTACT_ACTIVITY).count() == 2
        exported = client.get(reverse("outreach:activity-export"))
    sheet = load_workbook(io.BytesIO(b"".join(exported.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0][: len(ACTIVITY_HEADERS)]) == ACTIVITY_HEADERS
    assert len(rows) == 3
    assert rows[2][8] == "李*"  # township staff do not see residents' names in full
