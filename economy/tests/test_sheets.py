"""The economy sheets (economy.resources): Chinese headers, 万元 columns, row-level problems, all
or nothing, preview then confirm on the import page."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from economy import services
from economy.models import (
    Enterprise,
    FundingSource,
    IncomeMeasure,
    Pairing,
    PairingResult,
    Project,
    VillageIncome,
)
from economy.resources.incomes import IncomeSheet
from economy.resources.measures import MeasureSheet
from economy.resources.pairings import PairingSheet
from economy.resources.projects import ProjectSheet
from economy.tests.conftest import YEAR
from governance.excel import SheetError
from governance.models import AuditEvent

pytestmark = pytest.mark.django_db

TRICKY = '=HYPERLINK("http://evil.example/","出租")'


def xlsx(headers, *rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


INCOME_HEADERS = [
    "年度",
    "乡镇（街道）",
    "村（社区）",
    "经营性收入（万元）",
    "资产租赁收入（万元）",
    "服务创收（万元）",
]


def test_income_import_in_wan_is_exact(eco):
    data = xlsx(
        INCOME_HEADERS,
        [YEAR, "凤城街道", "东关村", "30.2", "20.1", "10.1"],
        [YEAR, "凤城街道", "花园社区", 0.1, None, None],
    )
    outcome = IncomeSheet(eco.staff_a).run(data, dry_run=False)
    assert outcome.ok, outcome.problems
    assert VillageIncome.objects.get(village=eco.village_a).operating_income == Decimal("302000.00")
    assert VillageIncome.objects.get(village=eco.community_a).operating_income == Decimal("1000.00")
    assert AuditEvent.objects.filter(action="import", row_count=2).exists()


def test_income_import_in_yuan(eco):
    data = xlsx(
        ["年度", "乡镇（街道）", "村（社区）", "经营性收入（元）"],
        [YEAR, "凤城街道", "东关村", "123456.78"],
    )
    assert IncomeSheet(eco.staff_a).run(data, dry_run=False).ok
    assert VillageIncome.objects.get(village=eco.village_a).operating_income == Decimal("123456.78")


def test_bad_rows_block_the_whole_import(eco):
    data = xlsx(
        INCOME_HEADERS,
        [YEAR, "凤城街道", "东关村", "30", None, None],
        [YEAR, "凤城街道", "花园社区", "abc", None, None],
        [YEAR, "凤城街道", "鹏泉社区", "1,2,3", None, None],
        [YEAR, "牛泉镇", "牛泉村", "5", None, None],
        [YEAR, "凤城街道", "东关村", "30", "10", "10"],
        ["二〇二五", "凤城街道", "东关村", "30", None, None],
    )
    outcome = IncomeSheet(eco.staff_a).run(data, dry_run=False)
    assert not outcome.ok
    assert {(row, column) for row, column, _reason in outcome.problems} == {
        (3, "经营性收入（万元）"),
        (4, "经营性收入（万元）"),
        (5, "村（社区）"),  # 牛泉村 is township B's
        (6, "经营性收入（万元）"),  # the sources add up to 20, not 30
        (7, "年度"),
    }
    assert "abc" in next(reason for row, _c, reason in outcome.problems if row == 3)
    assert not VillageIncome.objects.exists()
    assert not AuditEvent.objects.filter(action="import").exists()


def test_missing_columns_are_named(eco):
    outcome = IncomeSheet(eco.staff_a).run(
        xlsx(["乡镇（街道）", "村（社区）"], ["凤城街道", "东关村"]), dry_run=True
    )
    assert "年度" in outcome.problems[0][1] and "经营性收入" in outcome.problems[0][1]


def test_not_a_workbook(eco):
    with pytest.raises(SheetError):
        IncomeSheet(eco.staff_a).run(b"name,amount\n", dry_run=True)


def test_measure_import_upserts_by_title(eco):
    headers = [
        "乡镇（街道）",
        "村（社区）",
        "增收措施",
        "责任人",
        "目标金额（万元）",
        "完成时限",
        "状态",
    ]
    data = xlsx(
        headers,
        ["凤城街道", "东关村", "闲置校舍出租", "王建国", "5", datetime.date(YEAR, 6, 30), "推进中"],
    )
    assert MeasureSheet(eco.staff_a).run(data, dry_run=False).ok
    data = xlsx(
        headers, ["凤城街道", "东关村", "闲置校舍出租", "王建国", "6", "2025/07/31", "已完成"]
    )
    assert MeasureSheet(eco.staff_a).run(data, dry_run=False).ok
    measure = IncomeMeasure.objects.get()
    assert (measure.target_amount, measure.status, measure.deadline) == (
        Decimal("60000.00"),
        "done",
        datetime.date(2025, 7, 31),
    )
    bad = xlsx(headers, ["凤城街道", "东关村", "x", "王", "1", "明年", "搁置"])
    problems = MeasureSheet(eco.staff_a).run(bad, dry_run=False).problems
    assert {column for _row, column, _reason in problems} == {
        "完成时限"
    }  # the first error of a row is reported


def test_project_import_with_funding_in_wan(eco):
    headers = [
        "项目名称",
        "年度",
        "所属单位",
        "涉及村（社区）",
        "发展模式",
        "预算（万元）",
        "上级财政资金（万元）",
        "村集体自筹（万元）",
    ]
    data = xlsx(
        headers,
        [
            "东关村光伏项目",
            YEAR,
            "凤城街道",
            "东关村、花园社区",
            "资产租赁型",
            "3020",
            "3000",
            "20",
        ],
    )
    outcome = ProjectSheet(eco.staff_a).run(data, dry_run=False)
    assert outcome.ok, outcome.problems
    project = Project.objects.get(name="东关村光伏项目")
    assert project.budget == Decimal("30200000.00")
    assert {f.kind: f.amount for f in FundingSource.objects.filter(project=project)} == {
        "higher_level": Decimal("30000000.00"),
        "village": Decimal("200000.00"),
    }
    assert set(project.villages.all()) == {eco.village_a, eco.community_a}
    bad = xlsx(headers, ["越界项目", YEAR, "牛泉镇", "", "", "1", "1", ""])
    assert ProjectSheet(eco.staff_a).run(bad, dry_run=False).problems[0][1] == "所属单位"


def test_pairing_import_creates_enterprise_pairing_and_result(eco):
    headers = [
        "乡镇（街道）",
        "村（社区）",
        "企业名称",
        "结对时间",
        "共建内容",
        "年度",
        "企业投入（万元）",
        "带动增收（万元）",
        "带动就业（人）",
    ]
    data = xlsx(
        headers,
        ["凤城街道", "东关村", "泰钢集团", "2024-03-01", "就业帮扶", YEAR, "50", "8.5", "12"],
    )
    assert PairingSheet(eco.staff_a).run(data, dry_run=False).ok
    pairing = Pairing.objects.get()
    assert pairing.enterprise == Enterprise.objects.get(name="泰钢集团")
    result = PairingResult.objects.get()
    assert (result.investment, result.income_increase, result.jobs) == (
        Decimal("500000.00"),
        Decimal("85000.00"),
        12,
    )


@pytest.mark.parametrize(
    ("kind", "importer"),
    [
        ("incomes", IncomeSheet),
        ("measures", MeasureSheet),
        ("projects", ProjectSheet),
        ("pairings", PairingSheet),
    ],
)
def test_export_reads_back(client, eco, kind, importer):
    services.income_record(
        actor=None, village=eco.village_a, year=YEAR, operating_income=Decimal("123456.78")
    )
    services.measure_create(
        actor=None,
        village=eco.village_a,
        title=TRICKY,
        owner_name="王建国",
        deadline=datetime.date(YEAR, 6, 1),
    )
    services.pairing_create(
        actor=None,
        village=eco.village_a,
        enterprise=services.enterprise_create(actor=None, unit=eco.district, name="泰钢集团"),
        since=datetime.date(YEAR - 1, 1, 1),
    )
    services.income_record(
        actor=None, village=eco.community_b, year=YEAR, operating_income=Decimal("1")
    )
    client.force_login(eco.staff_a)
    response = client.get(reverse("economy:export", args=[kind]) + f"?year={YEAR}")
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "牛泉村" not in str(rows)  # township B's rows stay out
    assert len(rows) > 1
    before = {
        m._meta.label: m.objects.count() for m in (VillageIncome, IncomeMeasure, Project, Pairing)
    }
    outcome = importer(eco.staff_a).run(data, dry_run=False)
    assert outcome.ok, outcome.problems
    after = {
        m._meta.label: m.objects.count() for m in (VillageIncome, IncomeMeasure, Project, Pairing)
    }
    assert before == after  # the same rows, updated in place
    # Written as text, not a formula, and read back as typed (no apostrophe).
    assert IncomeMeasure.objects.get().title == TRICKY
    if kind == "incomes":
        assert VillageIncome.objects.get(village=eco.village_a).operating_income == Decimal(
            "123456.78"
        )


def test_import_page_previews_then_confirms(client, eco, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(eco.staff_a)
    url = reverse("economy:import", args=["incomes"])
    upload = SimpleUploadedFile(
        "收入.xlsx", xlsx(INCOME_HEADERS, [YEAR, "凤城街道", "东关村", "abc", None, None])
    )
    response = client.post(url, {"file": upload})
    assert response.status_code == 400
    assert response.context["outcome"].problems[0][0] == 2
    upload = SimpleUploadedFile(
        "收入.xlsx", xlsx(INCOME_HEADERS, [YEAR, "凤城街道", "东关村", "30", None, None])
    )
    response = client.post(url, {"file": upload})
    assert response.status_code == 200 and response.context["token"]
    assert not VillageIncome.objects.exists()  # the preview keeps nothing
    response = client.post(url, {"token": response.context["token"]})
    assert response.status_code == 302
    assert VillageIncome.objects.get().operating_income == Decimal("300000.00")
    assert AuditEvent.objects.filter(action="import", row_count=1).exists()
    blank = client.get(reverse("economy:import", args=["projects"]) + "?template=1")
    data = b"".join(blank.streaming_content) if blank.streaming else blank.content
    headers = [c.value for c in next(load_workbook(io.BytesIO(data)).active.iter_rows())]
    assert headers == list(ProjectSheet.columns)


def test_a_grid_worker_may_not_open_an_import(client, eco):
    client.force_login(eco.worker_a)
    assert client.get(reverse("economy:import", args=["measures"])).status_code == 403


GOOD_AND_BAD = {
    IncomeSheet: (
        INCOME_HEADERS,
        [YEAR, "凤城街道", "东关村", "30", None, None],
        [YEAR, "凤城街道", "花园社区", "-1", None, None],
    ),
    MeasureSheet: (
        ["乡镇（街道）", "村（社区）", "增收措施", "责任人", "完成时限"],
        ["凤城街道", "东关村", "闲置校舍出租", "王建国", "2025-06-30"],
        ["凤城街道", "东关村", "光伏", "王建国", "明年"],
    ),
    ProjectSheet: (
        ["项目名称", "年度", "所属单位", "预算（万元）"],
        ["新项目", YEAR, "凤城街道", "10"],
        ["越界项目", YEAR, "牛泉镇", "10"],
    ),
    PairingSheet: (
        ["乡镇（街道）", "村（社区）", "企业名称", "结对时间"],
        ["凤城街道", "东关村", "泰钢集团", "2024-03-01"],
        ["凤城街道", "东关村", "泰山钢铁", "去年"],
    ),
}


@pytest.mark.parametrize("sheet", list(GOOD_AND_BAD), ids=lambda s: s.kind)
def test_one_bad_row_saves_nothing(eco, sheet):
    headers, good, bad = GOOD_AND_BAD[sheet]
    models = (VillageIncome, IncomeMeasure, Project, Pairing, Enterprise)
    before = {m: m.objects.count() for m in models}
    outcome = sheet(eco.staff_a).run(xlsx(headers, good, bad), dry_run=False)
    assert [row for row, _c, _r in outcome.problems] == [3]
    assert {m: m.objects.count() for m in models} == before
    assert sheet(eco.staff_a).run(xlsx(headers, good), dry_run=False).ok


def test_an_import_writes_only_what_its_user_may(eco):
    """The services refuse a cadre who does not keep records, whatever reaches them."""
    data = xlsx(INCOME_HEADERS, [YEAR, "凤城街道", "东关村", "30", None, None])
    outcome = IncomeSheet(eco.worker_a).run(data, dry_run=False)
    assert not outcome.ok and not VillageIncome.objects.exists()
