"""Excel import and export of the red-property registers (outreach.resources.property):
companies, estates and quarterly evaluations preview (nothing saved), then confirm all or
nothing; templates hold exactly the columns read (the evaluation's: the district's criteria);
a community outside the user's scope is a row problem; an export re-imports."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from governance import excel
from governance.testing import frozen
from outreach.models import Estate, PropertyCompany, PropertyContract, PropertyEvaluation
from outreach.resources import property as resources
from outreach.services import property as services

pytestmark = pytest.mark.django_db

JAN = datetime.date(2026, 1, 5)
CRITERIA = ("服务质量", "环境卫生", "安全管理", "党建引领")
EVALUATION_COLUMNS = ("社区", "物业企业", "季度", *CRITERIA, "备注")


def _code(body: str) -> str:
    total = sum(
        services.CREDIT_CHARS.index(c) * w
        for c, w in zip(body, services.CREDIT_WEIGHTS, strict=False)
    )
    return body + services.CREDIT_CHARS[(31 - total % 31) % 31]


@pytest.fixture
def red_world(reception_world):
    """Township A's estate 花园小区 served by 鲁中物业 since JAN; 牛泉物业 serves village B."""
    w = reception_world
    services.criteria_set(
        district=w.district,
        rows=list(zip(CRITERIA, (40, 30, 20, 10), strict=True)),
        actor=w.district_admin,
    )
    w.luzhong, w.niuquan = (
        services.company_register(district=w.district, name=name, actor=w.district_admin)
        for name in ("鲁中物业", "牛泉物业")
    )
    w.estate_a = services.estate_add(community=w.community_a, name="花园小区", actor=w.staff_a)
    w.estate_b = services.estate_add(community=w.community_b, name="牛泉新村", actor=w.staff_b)
    services.contract_start(estate=w.estate_a, company=w.luzhong, started_on=JAN, actor=None)
    services.contract_start(estate=w.estate_b, company=w.niuquan, started_on=JAN, actor=None)
    return w


def _book(columns, *rows) -> bytes:
    book = Workbook()
    for row in (columns, *rows):
        book.active.append(list(row))
    return excel.workbook_bytes(book)


def _upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("登记.xlsx", data, content_type=excel.XLSX_TYPE)


def _sheet(response) -> list[list]:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return [list(r) for r in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]


def _url(register, action, **query):
    url = reverse(f"outreach:property-{register}-{action}")
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _preview(client, url, columns, *rows):
    return client.post(url, {"file": _upload(_book(columns, *rows))})


def _confirm(client, url, preview):
    assert preview.status_code == 200, preview.context["outcome"].problems
    return client.post(url, {"token": preview.context["token"]})


def test_the_templates_hold_exactly_the_columns_read(red_world, client):
    w = red_world
    client.force_login(w.district_admin)
    cases = [
        (_url("company", "import", unit=w.district.pk), resources.COMPANY_COLUMNS),
        (_url("estate", "import"), resources.ESTATE_COLUMNS),
        (_url("evaluation", "import", unit=w.district.pk), EVALUATION_COLUMNS),
    ]
    for url, columns in cases:
        response = client.get(url + ("&" if "?" in url else "?") + "template=1")
        assert response.status_code == 200
        assert _sheet(response) == [list(columns)]


def test_companies_preview_then_confirm_and_one_bad_row_saves_nothing(red_world, client):
    w = red_world
    client.force_login(w.district_admin)
    url = _url("company", "import", unit=w.district.pk)
    code = _code("91371202MA3C00001")
    good = ("凤城物业", code, "王经理", "13812340000")
    refused = _preview(
        client, url, resources.COMPANY_COLUMNS, good, ("嬴城物业", "91371202MA3C0000X", "", "")
    )
    assert refused.status_code == 400
    assert [p[:2] for p in refused.context["outcome"].problems] == [(3, "统一社会信用代码")]
    assert not PropertyCompany.objects.filter(name="凤城物业").exists()
    preview = _preview(client, url, resources.COMPANY_COLUMNS, good)
    assert preview.status_code == 200
    assert "138****0000" in preview.content.decode()
    assert not PropertyCompany.objects.filter(name="凤城物业").exists()
    assert _confirm(client, url, preview).status_code == 302
    company = PropertyCompany.objects.get(name="凤城物业")
    assert (company.district, company.credit_code, company.contact_phone) == (
        w.district,
        code,
        "13812340000",
    )
    again = _preview(client, url, resources.COMPANY_COLUMNS, good, ("鲁中物业", "", "", ""))
    assert [p[:2] for p in again.context["outcome"].problems] == [
        (2, "统一社会信用代码"),
        (3, "名称"),
    ]


def test_estates_preview_then_confirm_with_the_serving_company(red_world, client):
    w = red_world
    client.force_login(w.staff_a)
    url = _url("estate", "import")
    rows = [
        ("花园社区", "花园二区", "花园路 8 号", 320, "鲁中物业", "2026-02-01"),
        ("凤城街道 · 鹏泉社区", "鹏泉小区", "", "", "", ""),
    ]
    preview = _preview(client, url, resources.ESTATE_COLUMNS, *rows)
    assert preview.status_code == 200
    assert not Estate.objects.filter(name__in=("花园二区", "鹏泉小区")).exists()
    assert _confirm(client, url, preview).status_code == 302
    estate = Estate.objects.get(name="花园二区")
    contract = PropertyContract.objects.get(estate=estate)
    assert (estate.community, estate.households, contract.company, contract.started_on) == (
        w.community_a,
        320,
        w.luzhong,
        datetime.date(2026, 2, 1),
    )
    assert Estate.objects.get(name="鹏泉小区").community == w.community_a2
    bad = _preview(
        client,
        url,
        resources.ESTATE_COLUMNS,
        rows[0],
        ("花园社区", "花园三区", "", "很多", "", ""),
        ("花园社区", "花园四区", "", "", "鲁中物业", ""),
        ("花园社区", "花园五区", "", "", "牛泉物业", "2026-02-01"),
    )
    assert [p[:2] for p in bad.context["outcome"].problems] == [
        (2, "小区"),
        (3, "住户"),
        (4, "服务起始日期"),
        (5, "物业企业"),  # a company staff A does not see is not named
    ]
    assert Estate.objects.count() == 4


def test_evaluations_preview_then_confirm(red_world, client):
    w = red_world
    client.force_login(w.staff_a)
    url = _url("evaluation", "import")
    with frozen(2026, 4, 10, 10):
        preview = _preview(
            client, url, EVALUATION_COLUMNS, ("花园社区", "鲁中物业", "2026-q1", 90, 80, 70, 60, "")
        )
        assert preview.status_code == 200 and not PropertyEvaluation.objects.exists()
        assert _confirm(client, url, preview).status_code == 302
        evaluation = PropertyEvaluation.objects.get()
        assert (evaluation.community, evaluation.period, evaluation.score) == (
            w.community_a,
            "2026-Q1",
            Decimal("80.00"),
        )
        assert evaluation.evaluated_by == w.staff_a
        bad = _preview(
            client,
            url,
            EVALUATION_COLUMNS,
            ("花园社区", "鲁中物业", "2026-Q1", 90, 80, 70, 60, ""),
            ("鹏泉社区", "鲁中物业", "2026-Q1", 90, 80, 70, 60, ""),
            ("花园社区", "鲁中物业", "2026-Q2", 90, 80, 170, 60, ""),
        )
        assert [p[:2] for p in bad.context["outcome"].problems] == [
            (2, "季度"),  # evaluated already
            (3, "季度"),  # it served no estate of 鹏泉社区
            (4, "安全管理"),
        ]
        assert PropertyEvaluation.objects.count() == 1


@pytest.mark.parametrize(
    "register, columns, row",
    [
        ("estate", resources.ESTATE_COLUMNS, ("牛泉村", "新小区", "", "", "", "")),
        ("evaluation", EVALUATION_COLUMNS, ("牛泉村", "牛泉物业", "2026-Q1", 1, 1, 1, 1, "")),
    ],
)
def test_a_community_out_of_scope_is_a_row_problem(red_world, client, register, columns, row):
    w = red_world
    client.force_login(w.staff_a)
    url = _url(register, "import")
    with frozen(2026, 4, 10, 10):
        outside = _preview(client, url, columns, row)
    assert outside.status_code == 400
    [(number, column, reason)] = outside.context["outcome"].problems
    assert (number, column, reason) == (2, "社区", "您的管辖范围内没有单位“牛泉村”。")
    assert not Estate.objects.filter(name="新小区").exists()
    assert not PropertyEvaluation.objects.exists()


def _round_trip(client, export_url, import_url, remove, only=lambda row: True):
    """Export, check the file (its rows `only`) re-imports as duplicates, remove the rows,
    import it again; the export before and after."""
    rows = _sheet(client.get(export_url))
    data = _book(rows[0], *filter(only, rows[1:]))
    assert client.post(import_url, {"file": _upload(data)}).status_code == 400
    remove()
    preview = client.post(import_url, {"file": _upload(data)})
    assert _confirm(client, import_url, preview).status_code == 302
    return rows, _sheet(client.get(export_url))


def test_the_exports_mask_phones_and_read_back_in(red_world, client):
    w = red_world
    services.company_register(
        district=w.district,
        name="凤城物业",
        credit_code=_code("91371202MA3C00001"),
        contact_phone="13812340000",
        actor=w.district_admin,
    )
    client.force_login(w.district_admin)
    rows, again = _round_trip(
        client,
        _url("company", "export"),
        _url("company", "import", unit=w.district.pk),
        lambda: PropertyCompany.objects.filter(name="凤城物业").delete(),
        only=lambda row: row[0] == "凤城物业",
    )
    assert rows[0] == list(resources.COMPANY_COLUMNS)
    [row] = [r for r in rows if r[0] == "凤城物业"]
    assert row[3] == "138****0000" and "13812340000" not in repr(rows)
    assert [r for r in again if r[0] == "凤城物业"] == [[*row[:3], None]]

    client.force_login(w.staff_a)
    second = services.estate_add(
        community=w.community_a, name="花园二区", address="花园路 8 号", households=320, actor=None
    )
    services.contract_start(estate=second, company=w.luzhong, started_on=JAN, actor=None)

    def remove_estate():
        PropertyContract.objects.filter(estate=second).delete()
        second.delete()

    rows, again = _round_trip(
        client,
        _url("estate", "export"),
        _url("estate", "import"),
        remove_estate,
        only=lambda row: row[1] == "花园二区",
    )
    assert rows[0] == list(resources.ESTATE_COLUMNS)
    assert [r[1] for r in rows[1:]] == ["花园二区", "花园小区"]  # not village B's estate
    assert rows[1] == [
        "凤城街道 · 花园社区",
        "花园二区",
        "花园路 8 号",
        320,
        "鲁中物业",
        "2026-01-05",
    ]
    assert again == rows

    with frozen(2026, 4, 10, 10):
        services.property_evaluate(
            community=w.community_a,
            company=w.luzhong,
            period="2026-Q1",
            scores={
                c.pk: v
                for c, v in zip(services.active_criteria(w.district), (90, 80, 70, 60), strict=True)
            },
            note="整改及时",
            actor=w.staff_a,
        )
        rows, again = _round_trip(
            client,
            _url("evaluation", "export", period="2026-Q1"),
            _url("evaluation", "import"),
            lambda: PropertyEvaluation.objects.all().delete(),
        )
    assert rows[0] == [*EVALUATION_COLUMNS, "综合得分"]
    assert rows[1] == ["凤城街道 · 花园社区", "鲁中物业", "2026-Q1", 90, 80, 70, 60, "整改及时", 80]
    assert again == rows


def test_without_the_capability_no_import_and_no_export(red_world, client):
    w = red_world
    client.force_login(w.worker_a)  # a grid worker neither registers, evaluates nor exports
    for register in ("company", "estate", "evaluation"):
        assert client.get(_url(register, "import")).status_code == 403
        assert client.get(_url(register, "export")).status_code == 403
    client.force_login(w.staff_a)  # companies are registered by the district
    assert client.get(_url("company", "import")).status_code == 403
    for register in ("company", "evaluation"):
        other = _url(register, "import", unit=w.other_district.pk)
        assert client.get(other).status_code == 404
    assert client.get(_url("evaluation", "export", unit=w.other_district.pk)).status_code == 404


def test_the_lists_link_to_import_and_export(red_world, client):
    w = red_world
    client.force_login(w.district_admin)
    page = client.get(_url("company", "list")).content.decode()
    assert _url("company", "import") in page and _url("company", "export") in page
    page = client.get(_url("estate", "list")).content.decode()
    assert _url("estate", "import") in page and _url("estate", "export") in page
    page = client.get(reverse("outreach:property-ranking")).content.decode()
    assert _url("evaluation", "import") in page and _url("evaluation", "export") in page
