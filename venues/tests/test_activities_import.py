import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from governance import testing
from governance.models import AuditEvent
from governance.testing import moment
from venues.models import Activity
from venues.resources.activities import COLUMNS
from venues.tests.factories import make_activity

pytestmark = pytest.mark.django_db
HEADERS = list(COLUMNS.values())


def _xlsx(rows, headers=HEADERS) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h, "") for h in headers])
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile("活动.xlsx", data.getvalue())


def _row(**values):
    base = {"场所": "花园社区党群服务中心", "活动类别": "睦邻市集", "活动名称": "睦邻市集",
            "日期": "2026-09-12", "开始时间": "09:00", "结束时间": "11:30"}  # fmt: skip
    return {**base, **values}


@pytest.fixture
def frozen():
    with testing.frozen(2026, 9, 2, 10):
        yield


def test_import_all_or_nothing_with_row_errors(client, aworld, frozen):
    client.force_login(aworld.staff_a)
    url = reverse("venues:activity-import")
    upload = _xlsx(
        [
            _row(),
            _row(**{"活动名称": "义诊", "活动类别": "不存在的类别"}),
            _row(**{"场所": "牛泉村党群服务中心"}),  # another township's venue
            _row(**{"日期": "9月12日"}),
            _row(**{"开始时间": "11:00", "结束时间": "10:00"}),
            _row(**{"参与人次": "120"}),  # in the future
        ]
    )
    response = client.post(url, {"file": upload})
    assert response.status_code == 400
    problems = {(row, column) for row, column, _reason in response.context["outcome"].problems}
    assert problems == {(3, "活动类别"), (4, "场所"), (5, "日期"), (6, "结束时间"), (7, "参与人次")}
    assert not Activity.objects.exists()


def test_a_file_with_one_bad_row_saves_nothing(client, aworld, frozen):
    client.force_login(aworld.staff_a)
    url = reverse("venues:activity-import")
    upload = _xlsx([_row(), _row(**{"活动名称": "义诊"}), _row(**{"开始时间": "25:00"})])
    response = client.post(url, {"file": upload})
    assert response.status_code == 400
    assert [(r, c) for r, c, _reason in response.context["outcome"].problems] == [(4, "开始时间")]
    assert not response.context.get("token")
    assert not Activity.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).exists()


def test_import_preview_then_confirm_writes_every_row_once(client, aworld, frozen):
    client.force_login(aworld.staff_a)
    url = reverse("venues:activity-import")
    upload = _xlsx(
        [
            _row(
                **{
                    "主办单位": "花园社区党委",
                    "协办单位": "区妇联、辖区商户",
                    "报名": "是",
                    "人数上限": "50",
                }
            ),
            _row(
                **{
                    "场所": "鹏泉社区党群服务中心",
                    "活动类别": "义诊",
                    "活动名称": "夏季义诊",
                    "日期": "2026-08-20",
                    "参与人次": "85",
                    "活动简报": "测量血压85人次",
                }
            ),
        ]
    )
    response = client.post(url, {"file": upload})
    assert response.status_code == 200, response.context.get("outcome")
    token = response.context["token"]
    assert not Activity.objects.exists()
    assert client.post(url, {"token": token}).status_code == 302
    assert client.post(url, {"token": token}).status_code == 302  # a second confirm imports nothing
    assert Activity.objects.count() == 2
    market = Activity.objects.get(title="睦邻市集")
    assert (market.capacity, market.registration_enabled, market.partners) == (
        50,
        True,
        "区妇联、辖区商户",
    )
    clinic = Activity.objects.get(title="夏季义诊")
    assert (clinic.attendance, clinic.report, clinic.unit) == (
        85,
        "测量血压85人次",
        aworld.community_a2,
    )
    assert AuditEvent.objects.filter(action="import", row_count=2).exists()


def test_export_holds_the_scope_and_reads_back(client, aworld, frozen):
    make_activity(
        aworld.venue_a, starts=moment(2026, 9, 12, 9), title="=危险公式", partners="区妇联"
    )
    make_activity(aworld.venue_b, starts=moment(2026, 9, 12, 9), title="牛泉市集")
    client.force_login(aworld.staff_a)
    response = client.get(reverse("venues:activity-export"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][1 : 1 + len(HEADERS)] == tuple(HEADERS)
    assert len(rows) == 2
    assert rows[1][4] == "=危险公式"  # as typed, no apostrophe added
    assert book.active.cell(row=2, column=5).data_type == "s"  # text, never a formula
    assert AuditEvent.objects.filter(action="export", row_count=1).exists()
    # The exported file imports back (as new activities) through the same columns.
    Activity.objects.all().delete()
    sheet_book = Workbook()
    sheet = sheet_book.active
    for row in rows:
        sheet.append(list(row))
    sheet.cell(row=2, column=5, value="再办一次市集")
    data = io.BytesIO()
    sheet_book.save(data)
    response = client.post(
        reverse("venues:activity-import"), {"file": SimpleUploadedFile("x.xlsx", data.getvalue())}
    )
    assert response.status_code == 200, response.context.get("outcome")
    assert response.context["outcome"].count == 1


def test_export_needs_the_export_capability(client, aworld, frozen):
    from governance.models import Role
    from governance.tests.factories import make_member

    worker = make_member(aworld.grid_a, Role.GRID_WORKER, "wgy_x")
    client.force_login(worker)
    assert client.get(reverse("venues:activity-export")).status_code == 403
