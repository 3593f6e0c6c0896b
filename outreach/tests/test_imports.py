"""The duty and contact activity imports (governance.importing): a file with one bad row saves
nothing, and the blank template holds exactly the columns the importer reads."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from governance import excel
from governance.models import AuditEvent, LedgerItem
from governance.testing import frozen
from governance.tests.factories import make_person
from outreach.models import ContactActivity, LiaisonDuty
from outreach.resources import contacts, duties

pytestmark = pytest.mark.django_db


def _xlsx(headers, *rows) -> bytes:
    book = Workbook()
    book.active.append(list(headers))
    for row in rows:
        book.active.append(list(row))
    return excel.workbook_bytes(book)


def test_a_duty_file_with_one_bad_row_saves_nothing(duty_world):
    w = duty_world
    make_person(w.township_a, "陈十")
    data = _xlsx(
        duties.COLUMNS,
        ["陈十", "凤城街道", "鹏泉社区", "", "", "2026-02-01", "每月", ""],
        ["陈十", "凤城街道", "鹏泉社区", "", "", "2026-02-01", "每天", ""],
    )
    outcome = duties.DutyImporter(w.staff_a).run(data, dry_run=False)
    assert [(row, column) for row, column, _reason in outcome.problems] == [(3, "联系频次")]
    assert LiaisonDuty.objects.count() == 4
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).exists()
    good = _xlsx(duties.COLUMNS, ["陈十", "凤城街道", "鹏泉社区", "", "", "2026-02-01", "", ""])
    assert duties.DutyImporter(w.staff_a).run(good, dry_run=False).count == 1
    assert LiaisonDuty.objects.count() == 5
    assert AuditEvent.objects.get(action=AuditEvent.Action.IMPORT).row_count == 1


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
    data = _xlsx(contacts.COLUMNS, row, [*row[:7], "许多", *row[8:]])
    with frozen(2026, 3, 10, 10):
        outcome = contacts.ContactImporter(w.staff_a).run(data, dry_run=False)
    assert [(r, column) for r, column, _reason in outcome.problems] == [(3, "覆盖人数")]
    assert not ContactActivity.objects.exists() and not LedgerItem.objects.exists()


@pytest.mark.parametrize("importer", [duties.DutyImporter, contacts.ContactImporter])
def test_the_template_holds_exactly_the_columns_read(importer):
    sheet = load_workbook(io.BytesIO(importer(None).blank())).active
    assert [c.value for c in next(sheet.iter_rows())] == list(importer.columns)
