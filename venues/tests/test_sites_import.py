"""Venue import (governance.importing): preview, all or nothing, one bad row, template."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from governance.models import AuditEvent
from venues.models import Venue

pytestmark = pytest.mark.django_db


def _xlsx(rows, headers=("所属单位", "场所名称", "场所类型", "开放时间", "假日不打烊")):
    book = Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "venues.xlsx"
    return buffer


def test_import_is_all_or_nothing(client, sites):
    client.force_login(sites.staff_a)
    url = reverse("venues:venue-import")
    bad = _xlsx(
        [
            ("花园社区", "花园红色驿站", "红色驿站", "每天 00:00-24:00 自助", "是"),
            ("牛泉村", "牛泉驿站", "红色驿站", "", "否"),  # outside staff_a's units
            ("鹏泉社区", "鹏泉书屋", "书屋", "周八 09:00-10:00", "也许"),
            ("花园社区", "花园社区党群服务中心", "党群服务中心", "", ""),  # exists
        ]
    )
    response = client.post(url, {"file": bad})
    assert response.status_code == 400
    problems = {(row, column) for row, column, _reason in response.context["outcome"].problems}
    assert {
        (3, "所属单位"),
        (4, "场所类型"),
        (4, "开放时间"),
        (4, "假日不打烊"),
        (5, "场所名称"),
    } <= problems
    assert not Venue.objects.filter(name="花园红色驿站").exists()
    good = _xlsx(
        [
            (
                "花园社区",
                "花园红色驿站",
                "红色驿站",
                "每天 09:00-17:00; 每天 00:00-24:00 自助",
                "是",
            ),
            ("鹏泉社区", "鹏泉党群连心家园", "党群连心家园", "周一至周五 08:30-17:30", "否"),
        ]
    )
    response = client.post(url, {"file": good})
    assert response.status_code == 200
    token = response.context["token"]
    response = client.post(url, {"token": token})
    assert response.status_code == 302
    station = Venue.objects.get(name="花园红色驿站")
    assert station.is_all_day and station.open_on_holidays and station.unit == sites.community_a
    assert Venue.objects.get(name="鹏泉党群连心家园").is_through_lunch
    # The same token imports once.
    client.post(url, {"token": token})
    assert Venue.objects.filter(name="花园红色驿站").count() == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).count() == 1


def test_a_venue_file_with_one_bad_row_saves_nothing(client, sites):
    client.force_login(sites.staff_a)
    url = reverse("venues:venue-import")
    bad = _xlsx(
        [
            ("花园社区", "花园红色驿站", "红色驿站", "每天 09:00-17:00", "是"),
            ("鹏泉社区", "鹏泉书屋", "红色驿站", "周八 09:00-10:00", "否"),
        ]
    )
    response = client.post(url, {"file": bad})
    assert response.status_code == 400
    assert [(r, c) for r, c, _reason in response.context["outcome"].problems] == [(3, "开放时间")]
    assert not response.context.get("token")
    assert not Venue.objects.filter(name__in=["花园红色驿站", "鹏泉书屋"]).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).exists()


def test_venue_import_offers_a_blank_template(client, sites):
    client.force_login(sites.staff_a)
    response = client.get(reverse("venues:venue-import"), {"template": 1})
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    header = [c.value for c in next(load_workbook(io.BytesIO(data)).active.iter_rows())]
    assert header[:3] == ["所属单位", "场所名称", "场所类型"]
