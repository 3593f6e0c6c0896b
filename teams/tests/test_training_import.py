"""The training sign-in import (teams.resources.SignInImporter on governance.importing's page):
preview, confirm all or nothing, a blank template with exactly the columns read."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from governance.models import AuditEvent, Person
from governance.tests.factories import make_person, valid_id_number
from teams.models import Attendance, Topic
from teams.services.training import training_create

pytestmark = pytest.mark.django_db

ID = valid_id_number(7)


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "签到表.xlsx"
    return buffer


def _signin_world(world):
    session = training_create(
        actor=world.district_admin,
        unit=world.township_a,
        title="调解培训",
        topic=Topic.MEDIATION,
        held_on=datetime.date(2026, 3, 3),
    )
    make_person(world.community_a, "周杰", id_number=ID)
    make_person(world.community_a, "吴敏")
    make_person(world.community_a, "孙丽")
    make_person(world.community_a2, "孙丽")
    make_person(world.community_b, "郑强")  # township B: outside staff_a's scope
    return reverse("teams:training-import", args=[session.pk])


def _token(response) -> str:
    return response.content.decode().split('name="token" value="')[1].split('"')[0]


def test_signin_import_previews_then_confirms_all_or_nothing(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = _signin_world(world)
    client.force_login(world.staff_a)
    bad = _xlsx(
        [
            ["姓名", "身份证号", "手机号", "所属单位"],
            ["周杰", ID, "", ""],
            ["吴敏", "", "", ""],
            ["孙丽", "", "", ""],
            ["郑强", "", "", ""],
        ]
    )
    response = client.post(url, {"file": bad})
    assert response.status_code == 400
    body = response.content.decode()
    assert "孙丽" in body and "郑强" in body and 'name="token"' not in body
    assert not Attendance.objects.exists()
    good = _xlsx(
        [
            ["姓名", "身份证号", "手机号", "所属单位"],
            ["周杰", ID, "", ""],
            ["吴敏", "", "", ""],
            ["孙丽", "", "", "鹏泉社区"],
            [None, None, None, None],
            ["吴敏", "", "", ""],
        ]
    )
    preview = client.post(url, {"file": good})
    assert preview.status_code == 200
    assert "鹏泉社区" in preview.content.decode()
    assert not Attendance.objects.exists()  # the preview keeps nothing
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).exists()
    response = client.post(url, {"token": _token(preview)})
    assert response.status_code == 302
    names = set(Attendance.objects.values_list("person__name", flat=True))
    assert names == {"周杰", "吴敏", "孙丽"}
    assert Attendance.objects.get(person__name="孙丽").person.unit == world.community_a2
    assert AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).count() == 1
    not_xlsx = io.BytesIO(b"name,id\n")
    not_xlsx.name = "x.xlsx"
    response = client.post(url, {"file": not_xlsx})
    assert "Excel" in response.content.decode() or "xlsx" in response.content.decode()


def test_signin_file_with_one_bad_row_saves_nothing(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = _signin_world(world)
    client.force_login(world.staff_a)
    rows = [["姓名", "身份证号", "手机号", "所属单位"], ["周杰", ID, "", ""], ["吴敏", "", "", ""]]
    preview = client.post(url, {"file": _xlsx(rows)})
    token = _token(preview)
    # Before the confirmation, someone moves 吴敏 out of reach: the confirm finds one bad row.
    Person.objects.filter(name="吴敏").update(name="吴敏二")
    response = client.post(url, {"token": token})
    assert response.status_code == 400
    assert "吴敏" in response.content.decode()
    assert not Attendance.objects.exists()
    one_bad = _xlsx([*rows[:2], ["查无此人", "", "", ""]])
    response = client.post(url, {"file": one_bad})
    assert response.status_code == 400 and 'name="token"' not in response.content.decode()
    assert not Attendance.objects.exists()


def test_signin_template_holds_exactly_the_columns_read(client, world):

    url = _signin_world(world)
    client.force_login(world.staff_a)
    assert 'href="?template=1"' in client.get(url).content.decode()
    response = client.get(url, {"template": 1})
    data = b"".join(response.streaming_content) if response.streaming else response.content
    header = [c.value for c in next(load_workbook(io.BytesIO(data)).active.iter_rows())]
    assert header == ["姓名", "身份证号", "手机号", "所属单位"]
