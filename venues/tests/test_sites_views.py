"""Venue pages: scope, query counts, open now, public page, export, figures."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from governance.models import AuditEvent
from governance.testing import frozen, moment
from venues import hours
from venues.figures import sites as figures_sites
from venues.models import Venue
from venues.services import requests as request_services
from venues.services import sites as services

pytestmark = pytest.mark.django_db


def _many_venues(w, n=30):
    for i in range(n):
        venue = services.venue_create(
            unit=w.community_a if i % 2 else w.community_a2,
            kind=w.station_kind,
            actor=None,
            name=f"红色驿站{i:02d}",
        )
        services.regular_hours_set(
            venue=venue,
            spans=hours.parse("周一至周五 09:00-17:00; 每天 17:00-09:00 自助"),
            actor=None,
        )
        services.period_save(
            venue=venue,
            actor=None,
            name="夏季",
            start=moment(2026, 7, 1).date(),
            end=moment(2026, 12, 31).date(),
            spans=hours.parse("每天 08:00-20:00"),
        )


def test_list_in_scope_with_fixed_queries(client, sites, django_assert_max_num_queries):
    client.force_login(sites.staff_a)
    client.get(reverse("venues:venue-list"))
    with django_assert_max_num_queries(16) as small:
        response = client.get(reverse("venues:venue-list"))
    names = {v.name for v in response.context["rows"]}
    assert names == {"花园社区党群服务中心", "鹏泉红色驿站"}
    _many_venues(sites)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("venues:venue-list"))
    assert len(response.context["rows"]) == 32


def test_open_now_filter(client, sites):
    client.force_login(sites.staff_a)
    with frozen(2026, 10, 1, 10):
        response = client.get(reverse("venues:venue-list"), {"open": "now"})
        assert [v.name for v in response.context["rows"]] == ["鹏泉红色驿站"]
    with frozen(2026, 11, 2, 10):
        response = client.get(reverse("venues:venue-list"), {"open": "now"})
        assert len(response.context["rows"]) == 2
        response = client.get(reverse("venues:venue-list"), {"open": "staffed"})
        assert len(response.context["rows"]) == 2
    with frozen(2026, 11, 2, 20):
        response = client.get(reverse("venues:venue-list"), {"open": "staffed"})
        assert response.context["rows"] == []


def test_label_filter_drills_down_figures(client, sites):
    client.force_login(sites.district_admin)
    fig = figures_sites.figures(
        sites.district, moment(2026, 1, 1).date(), moment(2026, 12, 31).date()
    )
    assert fig.venues == 3 and fig.all_day == 1 and fig.open_on_holidays == 1
    assert fig.weekly_hours == 38 + 56 + 45
    for label, count in (("all_day", fig.all_day), ("holidays", fig.open_on_holidays),
                         ("extended", fig.extended), ("lunch", fig.through_lunch)):  # fmt: skip
        response = client.get(
            reverse("venues:venue-list"), {"unit": sites.district.pk, "label": label}
        )
        assert response.context["page"].paginator.count == count, label
    by_kind = {k["kind_id"]: k["count"] for k in fig.by_kind}
    for kind_id, count in by_kind.items():
        response = client.get(
            reverse("venues:venue-list"), {"unit": sites.district.pk, "kind": kind_id}
        )
        assert response.context["page"].paginator.count == count


def test_figures_page_and_request_drill_down(client, sites, django_assert_max_num_queries):
    for name in ("甲", "乙", "丙"):
        request_services.request_create(
            venue=sites.centre, matter=sites.matter, kind="proxy", resident_name=name, actor=None
        )
    client.force_login(sites.staff_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("venues:venue-figures"))
    fig = response.context["fig"]
    assert fig.venues == 2 and fig.requests == 3 and fig.requests_by_kind["proxy"] == 3
    rows = client.get(
        reverse("venues:request-list"),
        {"unit": sites.township_a.pk, "kind": "proxy", "from": fig.start, "to": fig.end},
    )
    assert rows.context["page"].paginator.count == 3


def test_public_page_shows_hours_and_nothing_personal(client, sites):
    services.venue_services_set(venue=sites.centre, matters=[sites.matter], actor=None)
    request_services.request_create(
        venue=sites.centre,
        matter=sites.matter,
        kind="proxy",
        resident_name="李四",
        resident_phone="13812341234",
        actor=None,
    )
    url = reverse("venues:public-venue", args=[sites.centre.public_token])
    with frozen(2026, 10, 1, 10):
        page = client.get(url).content.decode()
    assert 'data-state="closed"' in page and "国庆节" in page
    assert "社保卡补办" in page and "身份证原件" in page and "0634-6221234" in page
    for private in ("王芳", "13900002222", "李四", "13812341234"):
        assert private not in page
    with frozen(2026, 11, 6, 18):  # a Friday evening
        response = client.get(url)
    assert response.context["now_status"].next_opening.start.date().isoformat() == "2026-11-07"
    station = reverse("venues:public-venue", args=[sites.station.public_token])
    with frozen(2026, 10, 1, 10):
        assert 'data-state="open"' in client.get(station).content.decode()
    Venue.objects.filter(pk=sites.centre.pk).update(is_active=False)
    assert client.get(url).status_code == 404


def test_public_page_of_a_self_service_station_on_holidays(client, sites):
    # Not 假日不打烊: on National Day nobody is on duty, but the self-service door stays open.
    Venue.objects.filter(pk=sites.station.pk).update(open_on_holidays=False)
    station = reverse("venues:public-venue", args=[sites.station.public_token])
    with frozen(2026, 10, 1, 10):
        assert 'data-state="self_service"' in client.get(station).content.decode()
    with frozen(2026, 11, 6, 10):
        page = client.get(station).content.decode()
    assert 'data-state="open"' in page and "之后自助开放" in page


def test_staff_pages_mask_contact_and_resident(client, sites):
    row = request_services.request_create(
        venue=sites.centre,
        matter=sites.matter,
        kind="proxy",
        resident_name="李四",
        resident_phone="13812341234",
        actor=None,
    )
    client.force_login(sites.staff_a)  # township staff: no view_personal_data
    page = client.get(reverse("venues:venue-detail", args=[sites.centre.pk])).content.decode()
    assert "139****2222" in page and "13900002222" not in page
    page = client.get(reverse("venues:request-detail", args=[row.pk])).content.decode()
    assert "138****1234" in page and "13812341234" not in page
    assert 'data-testid="reveal"' not in page
    assert client.post(reverse("venues:request-reveal", args=[row.pk])).status_code == 403

    # The secretary may see the resident's phone: masked on the list and the page, in full
    # through the reveal, which is recorded.
    client.force_login(sites.secretary_a)
    page = client.get(reverse("venues:request-list")).content.decode()
    assert "138****1234" in page and "13812341234" not in page
    page = client.get(reverse("venues:request-detail", args=[row.pk])).content.decode()
    assert "138****1234" in page and "13812341234" not in page
    assert 'data-testid="reveal"' in page
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.REVEAL).exists()
    page = client.post(reverse("venues:request-reveal", args=[row.pk])).content.decode()
    assert "13812341234" in page
    event = AuditEvent.objects.get(action=AuditEvent.Action.REVEAL)
    assert (event.actor, event.target) == (sites.secretary_a, f"venues.servicerequest:{row.pk}")


def test_hours_editor_saves_rows(client, sites):
    client.force_login(sites.secretary_a)
    url = reverse("venues:venue-hours", args=[sites.centre.pk])
    data = {
        "span-TOTAL_FORMS": "3",
        "span-INITIAL_FORMS": "0",
        "span-0-weekday": "",
        "span-0-start": "08:00",
        "span-0-end": "20:00",
        "span-0-state": "open",
        "span-1-weekday": "5",
        "span-1-start": "20:00",
        "span-1-end": "02:00",
        "span-1-state": "self_service",
        "rule-open_on_holidays": "on",
        "rule-makeup_weekday": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context["formset"].errors,
        response.context["rule"].errors,
        [str(m) for m in response.context["messages"]],
    )
    venue = Venue.objects.get(pk=sites.centre.pk)
    assert venue.open_on_holidays and venue.weekly_hours == 84 and venue.is_extended
    assert venue.spans.filter(period=None).count() == 2
    # A bad time leaves the hours as they were.
    response = client.post(url, {**data, "span-0-end": "25:00"})
    assert response.status_code == 200
    assert venue.spans.filter(period=None).count() == 2
    client.force_login(sites.staff_b)
    assert client.post(url, data).status_code == 404


def test_export_in_scope_and_masked(client, sites):
    client.force_login(sites.staff_a)
    response = client.get(reverse("venues:venue-export"))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    names = {r[header.index("场所名称")] for r in body}
    assert names == {"花园社区党群服务中心", "鹏泉红色驿站"}
    centre = next(r for r in body if r[header.index("场所名称")] == "花园社区党群服务中心")
    assert centre[header.index("联系电话")] == "139****2222"
    assert (
        centre[header.index("开放时间")] == "周一至周五 08:30-12:00,14:00-17:30; 周六 09:00-12:00"
    )
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, row_count=2).exists()
    # The export reads back as an import of the same hours.
    assert hours.parse(centre[header.index("开放时间")])
