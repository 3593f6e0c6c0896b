"""The duty import and export (outreach.resources.duties through governance.importing): a
file with one bad row saves nothing, the preview keeps nothing, the blank template holds
exactly the columns the importer reads, and an export reads back in."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from governance import excel
from governance.models import AuditEvent
from governance.testing import frozen
from governance.tests.factories import make_person
from outreach.models import LiaisonDuty
from outreach.resources import duties

pytestmark = pytest.mark.django_db


def _sheet(headers, *rows) -> bytes:
    book = Workbook()
    book.active.append(list(headers))
    for row in rows:
        book.active.append(list(row))
    return excel.workbook_bytes(book)


def test_a_duty_file_with_one_bad_row_saves_nothing(duty_world):
    w = duty_world
    make_person(w.township_a, "陈十")
    data = _sheet(
        duties.COLUMNS,
        ["陈十", "凤城街道", "鹏泉社区", "", "", "2026-02-01", "每月", ""],
        ["陈十", "凤城街道", "鹏泉社区", "", "", "2026-02-01", "每天", ""],
    )
    outcome = duties.DutyImporter(w.staff_a).run(data, dry_run=False)
    assert [(row, column) for row, column, _reason in outcome.problems] == [(3, "联系频次")]
    assert LiaisonDuty.objects.count() == 4
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).exists()
    good = _sheet(duties.COLUMNS, ["陈十", "凤城街道", "鹏泉社区", "", "", "2026-02-01", "", ""])
    assert duties.DutyImporter(w.staff_a).run(good, dry_run=False).count == 1
    assert LiaisonDuty.objects.count() == 5
    assert AuditEvent.objects.get(action=AuditEvent.Action.IMPORT).row_count == 1


def test_the_duty_template_holds_exactly_the_columns_read():
    importer = duties.DutyImporter
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


DUTY_HEADERS = ["包联人", "包联人单位", "包联乡镇/村(社区)", "包联党建工作区", "包联户", "开始日期",
                "联系频次", "备注"]  # fmt: skip


def test_duty_import_is_all_or_nothing_with_row_errors(client, duty_world):
    w = duty_world
    make_person(w.township_a, "陈十")
    make_person(w.community_a, "褚十一")
    client.force_login(w.staff_a)
    bad = _xlsx(
        DUTY_HEADERS,
        [
            ["陈十", "凤城街道", "鹏泉社区", "", "", "2026-02-01", "每月", ""],
            ["褚十一", "花园社区", "凤城街道", "", "", "2026-02-01", "", ""],  # cadre → township
        ],
    )
    response = client.post(reverse("outreach:duty-import"), {"file": bad})
    assert response.status_code == 400
    assert [row for row, _column, _reason in response.context["outcome"].problems] == [3]
    assert not response.context["token"]
    assert LiaisonDuty.objects.count() == 4
    good = _xlsx(
        DUTY_HEADERS,
        [
            ["陈十", "凤城街道", "鹏泉社区", "", "", "2026-02-01", "每周", ""],
            [
                "褚十一",
                "花园社区",
                "",
                "",
                "1号楼-1单元-101、1号楼-1单元-102",
                "2026/02/01",
                "",
                "",
            ],
            ["陈十", "凤城街道", "", "凤城第一工作区", "", "2026-02-01", "", ""],
        ],
    )
    preview = client.post(reverse("outreach:duty-import"), {"file": good})
    assert preview.status_code == 200 and preview.context["outcome"].count == 3
    assert LiaisonDuty.objects.count() == 4  # the preview keeps nothing
    response = client.post(reverse("outreach:duty-import"), {"token": preview.context["token"]})
    assert response.status_code == 302
    assert LiaisonDuty.objects.count() == 7
    assert LiaisonDuty.objects.get(holder__name="褚十一").households.count() == 2


def test_duty_export_reads_back_in_and_holds_the_scope_only(client, duty_world):
    w = duty_world
    client.force_login(w.staff_a)
    with frozen(2026, 3, 10, 10):
        response = client.get(reverse("outreach:duty-export"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0][: len(DUTY_HEADERS)]) == DUTY_HEADERS
    assert len(rows) == 4  # header + the three duties over township A
    assert {r[0] for r in rows[1:]} == {"leader", "staff_a", "shuji_a"}
