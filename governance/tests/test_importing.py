"""The one importer (governance.importing): preview rolls back, confirm writes all or nothing,
the upload is kept for its user and purpose only, and the template holds exactly the columns
the importer reads."""

import io

import pytest
from django.test import RequestFactory
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from governance import excel, importing
from governance.importing import Importer, RowProblem
from governance.models import Area, AuditEvent, Unit
from governance.tests.factories import UserFactory, make_unit

pytestmark = pytest.mark.django_db


class AreaImporter(Importer):
    label = "片区"
    model = Area
    columns = ("名称", "备注")
    required = ("名称",)

    def write_row(self, number, row):
        name = row.get("名称")
        if not name:
            raise RowProblem("名称", "必须填写。")
        if name == "重复":
            raise RowProblem("名称", "已有同名片区。")
        Area.objects.create(district=self.scope["district"], name=name)
        return [name, row.get("备注") or ""]


def _xlsx(*rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    return excel.workbook_bytes(book)


@pytest.fixture
def district():
    return make_unit(None, Unit.Kind.DISTRICT, "莱芜区")


def test_a_dry_run_checks_every_row_and_keeps_nothing(district):
    importer = AreaImporter(UserFactory(), district=district)
    outcome = importer.run(_xlsx(("名称", "备注"), ("东片", ""), ("西片", "x")), dry_run=True)
    assert outcome.ok and outcome.count == 2
    assert outcome.rows == [[2, "东片", ""], [3, "西片", "x"]]
    assert not Area.objects.exists()


def test_one_bad_row_saves_nothing_and_names_row_column_and_reason(district):
    importer = AreaImporter(UserFactory(), district=district)
    data = _xlsx(("名称", "备注"), ("东片", ""), ("重复", ""), ("", "只有备注"))
    outcome = importer.run(data, dry_run=False)
    assert outcome.problems == [(3, "名称", "已有同名片区。"), (4, "名称", "必须填写。")]
    assert not Area.objects.exists()


def test_a_missing_required_column_is_one_problem(district):
    outcome = AreaImporter(UserFactory(), district=district).run(
        _xlsx(("备注",), ("x",)), dry_run=True
    )
    assert outcome.problems == [(None, "名称", _("The sheet has no column with this header."))]


def test_the_template_holds_exactly_the_columns_read(district):
    book = load_workbook(io.BytesIO(AreaImporter(None, district=district).blank()))
    assert [c.value for c in next(book.active.iter_rows())] == ["名称", "备注"]


def test_an_upload_is_claimed_once_by_its_user_for_its_purpose(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    alice, bob = UserFactory(), UserFactory()
    token = importing.keep_upload(b"data", alice, "areas:1", "a.xlsx")
    with pytest.raises(importing.PreviewExpired):
        importing.claim_upload(token, bob, "areas:1")
    with pytest.raises(importing.PreviewExpired):
        importing.claim_upload(token, alice, "areas:2")
    assert importing.claim_upload(token, alice, "areas:1") == (b"data", "a.xlsx")
    with pytest.raises(importing.PreviewExpired):
        importing.claim_upload(token, alice, "areas:1")


def test_the_page_previews_then_confirms(district, settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    user = UserFactory()
    factory = RequestFactory()

    def page(request):
        request.user = user
        request._messages = _Messages()
        return importing.import_page(
            request, AreaImporter(user, district=district), title="导入片区", back_url="/"
        )

    upload = io.BytesIO(_xlsx(("名称",), ("东片",)))
    upload.name = "areas.xlsx"
    preview = page(factory.post("/import/", {"file": upload}))
    assert preview.status_code == 200 and not Area.objects.exists()
    token = preview.content.decode().split('name="token" value="')[1].split('"')[0]
    confirm = page(factory.post("/import/", {"token": token}))
    assert confirm.status_code == 302
    assert list(Area.objects.values_list("name", flat=True)) == ["东片"]
    # One audit record, left by the confirmation only, naming the file.
    event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    assert (event.actor, event.target, event.row_count) == (user, "governance.area", 1)
    assert event.detail == {"file": "areas.xlsx", "new": 1}
    again = page(factory.post("/import/", {"token": token}))  # a double submit imports once
    assert again.status_code == 302 and Area.objects.count() == 1


class _Messages(list):
    def add(self, level, message, extra_tags=""):
        self.append(message)
