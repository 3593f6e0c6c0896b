import datetime
import io
from pathlib import Path

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from governance.ledger import reviews, services
from governance.models import (
    EventAction,
    Ledger,
    LedgerEvent,
    LedgerItem,
    LedgerKind,
    ReviewDecision,
    ReviewKind,
    ReviewMeeting,
    ReviewSchedule,
    Role,
    Source,
)
from governance.testing import moment
from governance.tests.factories import make_member

pytestmark = pytest.mark.django_db

# Wednesday 21 October 2026, 10:00: the community's weekly meeting.
NOW = moment(2026, 10, 21, 10)


def on(month, day, hour=9):
    return moment(2026, month, day, hour)


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def ledger_for(unit):
    """The nearest ledger kept at or above `unit` (items arise within their ledger's unit)."""
    ledger = (
        Ledger.objects.filter(unit__path__in=unit.ancestor_paths()).order_by("-unit__depth").first()
    )
    return ledger or Ledger.objects.create(
        unit=unit, name=f"{unit.name}台账", kind=LedgerKind.RECEPTION_DAY, prefix=f"T{unit.pk}"
    )


def demand(w, title, received_at, *, unit=None, **kwargs):
    """A reception-day demand without category: it waits for the weekly review's deadline."""
    values = {
        "ledger": ledger_for(unit or w.community_a),
        "title": title,
        "unit": unit or w.community_a,
        "actor": w.secretary_a,
        "source": Source.RECEPTION_DAY,
        "received_at": received_at,
        "resident_name": "李四",
        "resident_phone": "13812341234",
    }
    values.update(kwargs)
    return services.item_create(**values)


def hx(client, url, data):
    return client.post(url, data, HTTP_HX_REQUEST="true")


def row_data(item, **overrides):
    prefix = f"item-{item.pk}-"
    data = {
        "measures": "联系物业更换灯具",
        "due_on": "2026-10-30",
        "handler": "",
        "version": item.version,
    }
    data.update(overrides)
    return {prefix + key: value for key, value in data.items()}


# Weekly community review ----------------------------------------------------------------


def test_the_weekly_agenda_lists_the_new_unstudied_items(client, ledger_world, now):
    w = ledger_world
    new = demand(w, "楼道灯不亮", on(10, 19))
    old = demand(w, "上月的诉求", on(9, 20))
    planned = demand(w, "已研究的诉求", on(10, 20))
    services.item_plan(
        item=planned,
        actor=w.secretary_a,
        measures="已安排",
        due_on=datetime.date(2026, 10, 30),
        reviewed=True,
    )
    elsewhere = demand(w, "鹏泉的诉求", on(10, 19), unit=w.community_a2, actor=w.staff_a)
    client.force_login(w.secretary_a)
    response = client.get(reverse("ledger:weekly-review", args=[w.community_a.pk]))
    assert response.status_code == 200
    listed = [row["item"] for row in response.context["rows"]]
    assert listed == [new]
    assert response.context["since"] == datetime.date(2026, 10, 14)
    assert [i.pk for i in response.context["studied"]] == [planned.pk]
    body = response.content.decode()
    assert old.number not in body and elsewhere.number not in body
    assert "李四" not in body  # no resident data on the agenda


def test_the_agenda_goes_back_to_the_last_meeting_when_one_was_missed(ledger_world, now):
    w = ledger_world
    ReviewMeeting.objects.create(
        kind=ReviewKind.WEEKLY, unit=w.community_a, held_on=datetime.date(2026, 9, 30)
    )
    assert reviews.weekly_since(w.community_a, NOW.date()) == datetime.date(2026, 9, 30)
    ReviewMeeting.objects.create(
        kind=ReviewKind.WEEKLY, unit=w.community_a, held_on=datetime.date(2026, 10, 16)
    )
    assert reviews.weekly_since(w.community_a, NOW.date()) == datetime.date(2026, 10, 14)


def test_a_row_is_planned_in_place_with_htmx(client, ledger_world, now):
    w = ledger_world
    cadre = make_member(w.community_a, Role.VILLAGE_CADRE, "cadre_a")
    item = demand(w, "楼道灯不亮", on(10, 19))
    client.force_login(w.secretary_a)
    page = client.get(reverse("ledger:weekly-review", args=[w.community_a.pk]))
    form = page.context["rows"][0]["form"]
    # Accounts that handle items at the community itself; not the grid worker, not the township.
    assert [label for _pk, label in form.fields["handler"].choices] == ["—", "cadre_a", "shuji_a"]

    url = reverse("ledger:weekly-review-item", args=[w.community_a.pk, item.pk])
    response = hx(client, url, row_data(item, handler=cadre.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="review-item-{item.pk}"' in body and "<form" not in body.split("studied-items")[0]
    assert "联系物业更换灯具" in body and "2026-10-30" in body
    # The meeting's list of studied items is swapped out of band.
    assert 'id="studied-items" hx-swap-oob="true"' in body and item.number in body
    assert "<html" not in body
    item.refresh_from_db()
    assert item.measures == "联系物业更换灯具" and item.handler == cadre
    assert item.due_at == on(10, 31, 0) and item.reviewed_at == NOW
    event = LedgerEvent.objects.filter(item=item).last()
    assert event.action == EventAction.PLAN and event.actor == w.secretary_a


def test_a_row_with_errors_comes_back_with_them(client, ledger_world, now):
    w = ledger_world
    item = demand(w, "楼道灯不亮", on(10, 19))
    url = reverse("ledger:weekly-review-item", args=[w.community_a.pk, item.pk])
    client.force_login(w.secretary_a)
    response = hx(client, url, row_data(item, measures="", due_on="2026-10-01"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<form" in body and "errorlist" in body
    assert "hx-swap-oob" not in body
    # A form filled in before someone else changed the item is refused.
    services.item_edit(item=item, actor=w.secretary_a, title="楼道灯坏了")
    response = hx(client, url, row_data(item))
    assert "form-errors" in response.content.decode()
    item.refresh_from_db()
    assert item.measures == "" and item.reviewed_at is None


def test_without_javascript_a_row_post_returns_to_the_page(client, ledger_world, now):
    w = ledger_world
    item = demand(w, "楼道灯不亮", on(10, 19))
    client.force_login(w.secretary_a)
    response = client.post(
        reverse("ledger:weekly-review-item", args=[w.community_a.pk, item.pk]), row_data(item)
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("ledger:weekly-review", args=[w.community_a.pk])
    item.refresh_from_db()
    assert item.reviewed_at == NOW


def test_recording_the_weekly_meeting(client, ledger_world, now):
    w = ledger_world
    first = demand(w, "楼道灯不亮", on(10, 19))
    second = demand(w, "下水道堵塞", on(10, 20))
    client.force_login(w.secretary_a)
    for item in (first, second):
        url = reverse("ledger:weekly-review-item", args=[w.community_a.pk, item.pk])
        hx(client, url, row_data(item))
    response = client.post(
        reverse("ledger:weekly-review-meeting", args=[w.community_a.pk]),
        {
            "held_on": "2026-10-21",
            "attendees": "王书记, 张主任, 李委员",
            "notes": "逐条研究",
            "items": [first.pk, second.pk],
        },
    )
    assert response.status_code == 302
    meeting = ReviewMeeting.objects.get()
    assert (meeting.kind, meeting.unit, meeting.held_on) == (
        ReviewKind.WEEKLY,
        w.community_a,
        datetime.date(2026, 10, 21),
    )
    assert meeting.recorded_by == w.secretary_a and "张主任" in meeting.attendees
    decisions = {d.item_id: d.decision for d in meeting.decisions.all()}
    assert decisions == {first.pk: "联系物业更换灯具", second.pk: "联系物业更换灯具"}
    assert LedgerEvent.objects.filter(action=EventAction.REVIEW).count() == 2
    page = client.get(reverse("ledger:weekly-review", args=[w.community_a.pk]))
    assert page.context["rows"] == [] and page.context["studied"] == []


def test_a_meeting_needs_its_items_and_cannot_be_in_the_future(client, ledger_world, now):
    w = ledger_world
    client.force_login(w.secretary_a)
    response = client.post(
        reverse("ledger:weekly-review-meeting", args=[w.community_a.pk]),
        {"held_on": "2026-10-22", "attendees": "王书记", "items": []},
    )
    assert response.status_code == 200
    assert set(response.context["meeting_form"].errors) == {"held_on", "items"}
    assert not ReviewMeeting.objects.exists()


def test_the_community_sets_its_weekly_review_day(client, ledger_world, now):
    w = ledger_world
    client.force_login(w.secretary_a)
    url = reverse("ledger:weekly-review-schedule", args=[w.community_a.pk])
    assert client.post(url, {"weekday": "2"}).status_code == 302
    assert client.post(url, {"weekday": "3"}).status_code == 302
    assert ReviewSchedule.objects.get(unit=w.community_a).weekday == 3
    page = client.get(reverse("ledger:weekly-review", args=[w.community_a.pk]))
    assert page.context["schedule_form"].initial["weekday"] == 3


def test_weekly_review_scope(client, ledger_world, now):
    w = ledger_world
    item_a = demand(w, "楼道灯不亮", on(10, 19))
    item_b = demand(
        w, "牛泉的诉求", on(10, 19), unit=w.community_b, ledger=w.ledger_b, actor=w.secretary_b
    )
    client.force_login(w.secretary_b)
    assert client.get(reverse("ledger:weekly-review", args=[w.community_a.pk])).status_code == 404
    url = reverse("ledger:weekly-review-item", args=[w.community_a.pk, item_a.pk])
    assert hx(client, url, row_data(item_a)).status_code == 404
    client.force_login(w.secretary_a)
    # Another community's item through this community's page.
    url = reverse("ledger:weekly-review-item", args=[w.community_a.pk, item_b.pk])
    assert hx(client, url, row_data(item_b)).status_code == 404
    # A township holds no weekly review; a grid worker does not plan items.
    client.force_login(w.staff_a)
    assert client.get(reverse("ledger:weekly-review", args=[w.township_a.pk])).status_code == 404
    assert client.get(reverse("ledger:weekly-review", args=[w.community_a.pk])).status_code == 200
    client.force_login(w.leader)  # in scope, but a leader does not plan items
    assert client.get(reverse("ledger:weekly-review", args=[w.community_a.pk])).status_code == 403
    client.logout()
    response = client.get(reverse("ledger:weekly-review", args=[w.community_a.pk]))
    assert response["Location"].startswith(reverse("login"))


# Monthly street review -------------------------------------------------------------------


@pytest.fixture
def agenda_items(ledger_world, now):
    """Township A on 21 October: open items in two communities and at the township itself."""
    w = ledger_world
    township_ledger = Ledger.objects.create(
        unit=w.township_a, name="凤城街道综合台账", kind=LedgerKind.GENERAL, prefix="FC"
    )
    items = {
        # Due 25 September: overdue. Received before National Day.
        "late": demand(w, "屋顶漏水", on(9, 10), category=w.category, unit=w.grid_a),
        "fresh": demand(w, "楼道灯不亮", on(10, 19), category=w.category),
        "a2": demand(
            w,
            "垃圾清运",
            on(10, 12),
            category=w.category,
            unit=w.community_a2,
            actor=w.staff_a,
        ),
        "township": demand(
            w,
            "街道综合事项",
            on(10, 15),
            ledger=township_ledger,
            unit=w.township_a,
            actor=w.staff_a,
        ),
        "done": demand(w, "已办结", on(10, 12), category=w.category),
        "b": demand(
            w,
            "牛泉的诉求",
            on(9, 10),
            category=w.category,
            unit=w.community_b,
            ledger=w.ledger_b,
            actor=w.secretary_b,
        ),
    }
    services.item_accept(item=items["done"], actor=w.secretary_a)
    services.item_resolve(item=items["done"], actor=w.secretary_a, result="已修好")
    return items


def test_the_monthly_agenda_groups_open_items_by_community(client, ledger_world, agenda_items):
    w = ledger_world
    client.force_login(w.staff_a)
    response = client.get(reverse("ledger:monthly-review", args=[w.township_a.pk]))
    assert response.status_code == 200
    agenda = response.context["agenda"]
    groups = [(g["unit"].name, [i.title for i in g["items"]]) for g in agenda["groups"]]
    assert groups == [
        ("凤城街道", ["街道综合事项"]),
        ("花园社区", ["屋顶漏水", "楼道灯不亮"]),
        ("鹏泉社区", ["垃圾清运"]),
    ]
    late = agenda["groups"][1]["items"][0]
    # Due at the end of 23 September (Sunday 20 September was worked); overdue on 24 and
    # 28–30 September, 8, 9, 10 (a Saturday worked), 12–16 and 19–21 October.
    assert late.is_overdue and late.overdue_workdays == 15
    assert (agenda["open"], agenda["overdue"]) == (4, 1)
    body = response.content.decode()
    assert "牛泉的诉求" not in body and "已办结" not in body
    assert 'data-testid="meeting-form"' in body


def test_recording_the_monthly_meeting_shows_its_decisions(client, ledger_world, agenda_items):
    w = ledger_world
    late, fresh = agenda_items["late"], agenda_items["fresh"]
    client.force_login(w.staff_a)
    url = reverse("ledger:monthly-review-meeting", args=[w.township_a.pk])
    response = client.post(
        url,
        {
            "held_on": "2026-10-20",
            "attendees": "党工委书记, 办事处主任",
            f"decision-{late.pk}": "由城管办牵头，10月底前完成",
            f"decision-{fresh.pk}": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?month=2026-10")
    meeting = ReviewMeeting.objects.get(kind=ReviewKind.MONTHLY)
    assert meeting.unit == w.township_a
    assert list(meeting.decisions.values_list("item", "decision")) == [
        (late.pk, "由城管办牵头，10月底前完成")
    ]
    assert LedgerEvent.objects.get(item=late, action=EventAction.REVIEW).note.startswith("由城管办")
    page = client.get(reverse("ledger:monthly-review", args=[w.township_a.pk]))
    assert "由城管办牵头，10月底前完成" in page.content.decode()
    # Once resolved, the item stays on October's record with its decision.
    services.item_accept(item=late, actor=w.staff_a)
    services.item_resolve(item=late, actor=w.staff_a, result="已修好")
    with time_machine.travel(on(11, 3), tick=False):
        client.force_login(w.staff_a)
        october = client.get(
            reverse("ledger:monthly-review", args=[w.township_a.pk]), {"month": "2026-10"}
        )
    assert not october.context["agenda"]["live"]
    assert [i.pk for i in october.context["agenda"]["items"]] == [late.pk]
    assert "由城管办牵头" in october.content.decode()
    assert october.context["form"] is None


def test_a_monthly_meeting_needs_a_decision(client, ledger_world, agenda_items):
    w = ledger_world
    client.force_login(w.staff_a)
    response = client.post(
        reverse("ledger:monthly-review-meeting", args=[w.township_a.pk]),
        {"held_on": "2026-10-20", "attendees": "党工委书记"},
    )
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    # Another township's item cannot be slipped in.
    outside = agenda_items["b"]
    response = client.post(
        reverse("ledger:monthly-review-meeting", args=[w.township_a.pk]),
        {"held_on": "2026-10-20", "attendees": "党工委书记", f"decision-{outside.pk}": "x"},
    )
    assert response.status_code == 200
    assert not ReviewDecision.objects.exists()


def test_the_monthly_export(client, ledger_world, agenda_items):
    w = ledger_world
    late = agenda_items["late"]
    ReviewDecision.objects.create(
        meeting=ReviewMeeting.objects.create(
            kind=ReviewKind.MONTHLY, unit=w.township_a, held_on=datetime.date(2026, 10, 20)
        ),
        item=late,
        decision="限期整改",
    )
    client.force_login(w.staff_a)
    response = client.get(
        reverse("ledger:monthly-review-export", args=[w.township_a.pk]), {"month": "2026-10"}
    )
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert "凤城街道" in rows[0][0] and "2026-10" in rows[0][0]
    body = rows[2:]
    assert [(r[0], r[2]) for r in body] == [
        ("凤城街道", "街道综合事项"),
        ("花园社区", "屋顶漏水"),
        ("花园社区", "楼道灯不亮"),
        ("鹏泉社区", "垃圾清运"),
    ]
    assert body[1][1] == late.number and body[1][7] == "2026-09-23" and body[1][8] == 15
    assert body[1][10] == "2026-10-20: 限期整改"
    assert body[2][8] is None


def _agenda_queries(client, unit):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("ledger:monthly-review", args=[unit.pk]))
    assert response.status_code == 200
    return len(queries)


def test_the_monthly_agenda_has_a_pinned_query_count(client, ledger_world, agenda_items):
    w = ledger_world
    client.force_login(w.staff_a)
    before = _agenda_queries(client, w.township_a)
    meeting = ReviewMeeting.objects.create(
        kind=ReviewKind.MONTHLY, unit=w.township_a, held_on=datetime.date(2026, 10, 20)
    )
    for n in range(25):
        unit = (w.grid_a, w.community_a2, w.community_a)[n % 3]
        item = demand(w, f"诉求{n}", on(9, 1 + n), category=w.category, unit=unit, actor=w.staff_a)
        services.item_accept(item=item, actor=w.staff_a)
        ReviewDecision.objects.create(meeting=meeting, item=item, decision=f"决定{n}")
    after = _agenda_queries(client, w.township_a)
    assert after == before
    # Session, account, roles, header (2), the unit; decisions, items, communities; the 2026
    # calendar for the overdue working days.
    assert after == 10


def test_monthly_review_scope(client, ledger_world, agenda_items):
    w = ledger_world
    url = reverse("ledger:monthly-review", args=[w.township_a.pk])
    client.force_login(w.staff_b)
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("ledger:monthly-review-export", args=[w.township_a.pk])).status_code
        == 404
    )
    client.force_login(w.staff_a)
    assert client.get(reverse("ledger:monthly-review", args=[w.community_a.pk])).status_code == 404
    client.force_login(w.secretary_a)  # a community sees its own review, not the street's
    assert client.get(url).status_code == 404
    client.force_login(w.district_admin)
    assert client.get(url).status_code == 200
    client.force_login(w.leader)  # a leader reads the agenda but records nothing
    response = client.get(url)
    assert response.status_code == 200 and response.context["form"] is None
    meeting = reverse("ledger:monthly-review-meeting", args=[w.township_a.pk])
    assert client.post(meeting, {"held_on": "2026-10-20"}).status_code == 403
    client.logout()
    assert client.get(url)["Location"].startswith(reverse("login"))


def test_the_monthly_page_prints_on_a4(client, ledger_world, agenda_items):
    client.force_login(ledger_world.staff_a)
    body = client.get(
        reverse("ledger:monthly-review", args=[ledger_world.township_a.pk])
    ).content.decode()
    assert "css/ledger.css" in body and 'class="ledger-monthly"' in body
    css = Path(finders.find("css/ledger.css")).read_text()
    assert "@page ledger-monthly { size: A4 landscape" in css
    assert "body.ledger-monthly { page: ledger-monthly; }" in css and "@media print" in css
    assert LedgerItem.objects.count() == 6


def test_a_passed_deadline_may_stay_but_not_be_set_anew(client, ledger_world, now):
    w = ledger_world
    urgent = demand(w, "燃气泄漏", on(10, 19), category=w.urgent)  # due 13:00 that day
    client.force_login(w.secretary_a)
    url = reverse("ledger:weekly-review-item", args=[w.community_a.pk, urgent.pk])
    response = hx(client, url, row_data(urgent, measures="已关阀并报燃气公司", due_on="2026-10-19"))
    assert "errorlist" not in response.content.decode()
    urgent.refresh_from_db()
    assert urgent.due_at == on(10, 19, 13) and urgent.reviewed_at == NOW
    fresh = demand(w, "楼道灯不亮", on(10, 19))
    url = reverse("ledger:weekly-review-item", args=[w.community_a.pk, fresh.pk])
    assert "errorlist" in hx(client, url, row_data(fresh, due_on="2026-10-20")).content.decode()


def test_the_monthly_export_writes_what_a_grid_worker_typed_as_text(
    client, ledger_world, agenda_items
):
    tricky = '=HYPERLINK("http://evil.example/","屋顶漏水")'
    LedgerItem.objects.filter(pk=agenda_items["late"].pk).update(title=tricky, measures="+1")
    client.force_login(ledger_world.staff_a)
    response = client.get(
        reverse("ledger:monthly-review-export", args=[ledger_world.township_a.pk]),
        {"month": "2026-10"},
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    row = next(r for r in sheet.iter_rows(min_row=3) if r[1].value == agenda_items["late"].number)
    assert (row[2].value, row[2].data_type) == (tricky, "s")  # text, never a formula
    assert (row[9].value, row[9].data_type) == ("+1", "s")
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
