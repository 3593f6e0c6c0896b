"""Excel import and export of the dual-reporting registers (outreach.resources.dual): each
import previews (nothing saved), then confirms all or nothing; its template holds exactly the
columns read; a community outside the user's scope is a row problem; an export re-imports."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from governance import excel
from governance.testing import frozen
from outreach.models import ReportedMember, ServiceProject, WorkUnit
from outreach.resources import dual as resources
from outreach.services import dual as services

pytestmark = pytest.mark.django_db

JAN = datetime.date(2026, 1, 5)
UNITS = ("dual-unit", resources.UNIT_COLUMNS)
MEMBERS = ("dual-member", resources.MEMBER_COLUMNS)
PROJECTS = ("dual-project", resources.PROJECT_COLUMNS)


def _xlsx(columns, *rows) -> SimpleUploadedFile:
    book = Workbook()
    book.active.append(list(columns))
    for row in rows:
        book.active.append(list(row))
    return SimpleUploadedFile("登记.xlsx", excel.workbook_bytes(book), content_type=excel.XLSX_TYPE)


def _sheet(response) -> list[list]:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return [list(r) for r in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]


def _url(register, action):
    return reverse(f"outreach:{register}-{action}")


def _preview(client, register, columns, *rows):
    return client.post(_url(register, "import"), {"file": _xlsx(columns, *rows)})


def _confirm(client, register, preview):
    assert preview.status_code == 200, preview.context["outcome"].problems
    return client.post(_url(register, "import"), {"token": preview.context["token"]})


@pytest.mark.parametrize("register, columns", [UNITS, MEMBERS, PROJECTS])
def test_the_template_holds_exactly_the_columns_read(reception_world, client, register, columns):
    client.force_login(reception_world.staff_a)
    response = client.get(_url(register, "import"), {"template": 1})
    assert response.status_code == 200
    assert _sheet(response) == [list(columns)]


def test_work_units_preview_then_confirm(reception_world, client):
    w = reception_world
    client.force_login(w.staff_a)
    rows = [
        ("花园社区", "区人社局机关党支部", "党政机关", "刘主任", "13912345678", "2026-01-05"),
        ("凤城街道 · 鹏泉社区", "区税务局", "事业单位", "", "", datetime.date(2026, 2, 1)),
    ]
    preview = _preview(client, *UNITS, *rows)
    assert preview.status_code == 200
    assert preview.context["outcome"].count == 2
    assert "139****5678" in preview.content.decode()
    assert not WorkUnit.objects.exists()
    assert _confirm(client, "dual-unit", preview).status_code == 302
    unit = WorkUnit.objects.get(name="区人社局机关党支部")
    posting = services.current_posting(unit)
    assert (unit.kind, unit.contact_phone, posting.community, posting.started_on) == (
        "office",
        "13912345678",
        w.community_a,
        JAN,
    )
    assert services.current_posting(WorkUnit.objects.get(name="区税务局")).community == (
        w.community_a2
    )
    # The same file again creates nothing twice: each row is a problem.
    again = _preview(client, *UNITS, *rows)
    assert again.status_code == 400
    assert [p[:2] for p in again.context["outcome"].problems] == [(2, "名称"), (3, "名称")]
    assert WorkUnit.objects.count() == 2


def test_one_bad_row_saves_nothing(reception_world, client):
    client.force_login(reception_world.staff_a)
    preview = _preview(
        client,
        *UNITS,
        ("花园社区", "区人社局", "党政机关", "", "", "2026-01-05"),
        ("花园社区", "区税务局", "社团", "", "", "2026-01-05"),
        ("花园社区", "区教育局", "党政机关", "", "", "2026-01-05"),
    )
    assert preview.status_code == 400
    assert not preview.context["token"]
    [(number, column, reason)] = preview.context["outcome"].problems
    assert (number, column) == (3, "类型")
    assert "党政机关" in reason
    assert not WorkUnit.objects.exists()


def test_cells_are_checked_with_row_column_and_reason(reception_world, client):
    client.force_login(reception_world.staff_a)
    preview = _preview(
        client,
        *UNITS,
        ("花园社区", "区人社局", "党政机关", "", "12345", "2026-01-05"),
        ("花园社区", "区税务局", "企业", "", "", "2026-13-01"),
        ("花园社区", "", "企业", "", "", "2026-01-05"),
    )
    assert [p[:2] for p in preview.context["outcome"].problems] == [
        (2, "联系电话"),
        (3, "登记日期"),
        (4, "名称"),
    ]
    assert not WorkUnit.objects.exists()


@pytest.mark.parametrize(
    "register, columns, row",
    [
        (*UNITS, ("牛泉村", "区人社局", "党政机关", "", "", "2026-01-05")),
        (*MEMBERS, ("牛泉村", "周党员", "", "", "2026-01-05")),
        (*PROJECTS, ("牛泉村", "关爱老人", "", "", "2026-01-05", "2026-01-31")),
    ],
)
def test_a_community_out_of_scope_is_a_row_problem(reception_world, client, register, columns, row):
    client.force_login(reception_world.staff_a)
    outside = _preview(client, register, columns, row)
    missing = _preview(client, register, columns, ("无此社区", *row[1:]))
    assert outside.status_code == missing.status_code == 400
    [(number, column, reason)] = outside.context["outcome"].problems
    assert (number, column) == (2, columns[0])
    assert reason == "您的管辖范围内没有单位“牛泉村”。"
    # The same answer as for a community that does not exist.
    assert missing.context["outcome"].problems[0][2] == reason.replace("牛泉村", "无此社区")


def test_members_preview_then_confirm_and_no_duplicates(reception_world, client):
    w = reception_world
    services.work_unit_register(
        community=w.community_a, name="区人社局", kind="office", started_on=JAN, actor=w.staff_a
    )
    client.force_login(w.staff_a)
    rows = [
        ("花园社区", "周党员", "13700001111", "区人社局", "2026-01-05"),
        ("鹏泉社区", "吴党员", "", "", "2026-01-06"),
    ]
    preview = _preview(client, *MEMBERS, *rows)
    assert preview.status_code == 200 and not ReportedMember.objects.exists()
    assert _confirm(client, "dual-member", preview).status_code == 302
    member = ReportedMember.objects.get(name="周党员")
    assert (member.community, member.work_unit.name, member.phone) == (
        w.community_a,
        "区人社局",
        "13700001111",
    )
    again = _preview(
        client, *MEMBERS, rows[0], ("花园社区", "郑党员", "", "无此单位", "2026-01-05")
    )
    assert [p[:2] for p in again.context["outcome"].problems] == [(2, "姓名"), (3, "报到单位")]
    assert ReportedMember.objects.count() == 2


def test_projects_preview_then_confirm_and_one_bad_row_saves_nothing(reception_world, client):
    w = reception_world
    client.force_login(w.staff_a)
    good = ("花园社区", "关爱独居老人", "每周探访", "志愿者 2 名", "2026-03-01", "2026-06-30")
    bad = ("花园社区", "清理楼道", "", "", "2026-03-10", "2026-03-01")
    refused = _preview(client, *PROJECTS, good, bad)
    assert refused.status_code == 400
    assert [p[:2] for p in refused.context["outcome"].problems] == [(3, "结束日期")]
    assert not ServiceProject.objects.exists()
    preview = _preview(client, *PROJECTS, good)
    assert preview.status_code == 200 and not ServiceProject.objects.exists()
    assert _confirm(client, "dual-project", preview).status_code == 302
    project = ServiceProject.objects.get()
    assert (project.community, project.needs, project.ends_on) == (
        w.community_a,
        "志愿者 2 名",
        datetime.date(2026, 6, 30),
    )
    assert project.created_by == w.staff_a
    assert _preview(client, *PROJECTS, good).context["outcome"].problems[0][:2] == (2, "标题")


def _register_all(w):
    unit = services.work_unit_register(
        community=w.community_a,
        name="区人社局",
        kind="enterprise",
        started_on=JAN,
        actor=w.staff_a,
        contact_name="刘主任",
        contact_phone="13912345678",
    )
    services.member_register(
        community=w.community_a,
        name="周党员",
        registered_on=JAN,
        phone="13700001111",
        work_unit=unit,
        actor=w.staff_a,
    )
    services.project_publish(
        community=w.community_a,
        title="关爱独居老人",
        starts_on=JAN,
        ends_on=datetime.date(2026, 2, 1),
        needs="志愿者",
        actor=w.staff_a,
    )
    services.project_publish(
        community=w.community_b,
        title="牛泉村项目",
        starts_on=JAN,
        ends_on=JAN,
        actor=w.staff_b,
    )


@pytest.mark.parametrize(
    "register, columns, model",
    [(*UNITS, WorkUnit), (*MEMBERS, ReportedMember), (*PROJECTS, ServiceProject)],
)
def test_the_export_masks_phones_and_reads_back_in(
    reception_world, client, register, columns, model
):
    w = reception_world
    _register_all(w)
    client.force_login(w.staff_a)
    response = client.get(_url(register, "export"), {"unit": w.township_a.pk})
    assert response.status_code == 200
    rows = _sheet(response)
    assert rows[0][: len(columns)] == list(columns)
    assert len(rows) == 2  # township A's row only
    text = repr(rows)
    assert "13912345678" not in text and "13700001111" not in text
    assert "牛泉村" not in text
    # Read back in: the row exists, so it is a problem, not a duplicate …
    data = io.BytesIO()
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(data)
    upload = SimpleUploadedFile("导出.xlsx", data.getvalue(), content_type=excel.XLSX_TYPE)
    assert client.post(_url(register, "import"), {"file": upload}).status_code == 400
    # … and once removed, the exported file brings it back.
    if model is WorkUnit:
        ReportedMember.objects.update(work_unit=None)
        WorkUnit.objects.all().delete()
    else:
        model.objects.filter(community=w.community_a).delete()
    upload.seek(0)
    preview = client.post(_url(register, "import"), {"file": upload})
    assert preview.status_code == 200, preview.context["outcome"].problems
    assert _confirm(client, register, preview).status_code == 302
    again = _sheet(client.get(_url(register, "export"), {"unit": w.township_a.pk}))
    if model is ServiceProject:
        assert again[1][:-1] == rows[1][:-1]  # the status starts over as open
    else:
        assert [c or "" for c in again[1]] == [
            "" if c and "*" in str(c) else (c or "") for c in rows[1]
        ]


def test_without_the_capability_no_import_and_no_export(reception_world, client):
    w = reception_world
    client.force_login(w.worker_a)  # a grid worker neither registers nor exports
    for register, _columns in (UNITS, MEMBERS, PROJECTS):
        assert client.get(_url(register, "import")).status_code == 403
        assert client.get(_url(register, "export")).status_code == 403
    client.force_login(w.staff_a)
    for register, _columns in (UNITS, MEMBERS, PROJECTS):
        response = client.get(_url(register, "export"), {"unit": w.other_district.pk})
        assert response.status_code == 404


def test_the_lists_link_to_import_and_export(reception_world, client):
    client.force_login(reception_world.staff_a)
    with frozen(2026, 3, 2, 10):
        for register, _columns in (UNITS, MEMBERS, PROJECTS):
            page = client.get(_url(register, "list")).content.decode()
            assert _url(register, "import") in page and _url(register, "export") in page
