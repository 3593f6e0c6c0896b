"""12345 transfers, the department queue, and the township's 催办 and 撤回 (issue 14, item 29)."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from governance.ledger import services
from governance.ledger.rules import may
from governance.ledger.services import StepRefused
from governance.models import (
    EventAction,
    Ledger,
    LedgerItem,
    LedgerKind,
    Notification,
    Source,
    Status,
)
from governance.testing import frozen, moment
from governance.tests.factories import make_item

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _weekday():
    with frozen(2026, 11, 10, 10):
        yield


@pytest.fixture
def hotline(ledger_world):
    w = ledger_world
    w.hotline = Ledger.objects.create(
        unit=w.township_a, name="凤城街道12345转办台账", kind=LedgerKind.HOTLINE, prefix="LX237"
    )
    return w


def handed(w, **overrides):
    """An item of township A handed to the housing department."""
    values = {
        "ledger": w.hotline,
        "actor": w.staff_a,
        "unit": w.community_a,
        "responsible_unit": w.township_a,
        "source": Source.HOTLINE,
        "hotline_ticket": "JN2026110900123",
        **overrides,
    }
    item = make_item(w, **values)
    return services.item_hand_over(
        item=item, actor=w.staff_a, department=w.department, note="需住建局处理"
    )


def told(kind: str) -> list[str]:
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


# 12345 registration


def test_a_hotline_transfer_keeps_the_ticket_and_the_centres_deadline(client, hotline):
    w = hotline
    client.force_login(w.staff_a)
    url = reverse("ledger:item-create")
    form = client.get(url, {"ledger": w.hotline.pk}).content.decode()
    assert 'name="hotline_ticket"' in form and 'name="hotline_due_on"' in form
    # Other ledgers do not ask for it.
    assert 'name="hotline_ticket"' not in client.get(url, {"ledger": w.ledger.pk}).content.decode()
    response = client.post(
        url,
        {
            "ledger": w.hotline.pk,
            "title": "小区路灯不亮",
            "source": Source.HOTLINE,
            "unit": w.community_a.pk,
            "hotline_ticket": "ＪＮ2026111000007 ",
            "hotline_due_on": "2026-11-13",
        },
    )
    item = LedgerItem.objects.get(title="小区路灯不亮")
    assert response.status_code == 302
    assert item.hotline_ticket == "JN2026111000007"
    assert item.hotline_due_at == moment(2026, 11, 14)  # the end of the 13th
    page = client.get(item.get_absolute_url()).content.decode()
    assert "JN2026111000007" in page and "2026-11-13" in page
    assert "凤城街道12345转办台账" in page  # the number is read with its ledger's name
    listed = client.get(reverse("ledger:item-list"), {"q": "2026111000007"})
    assert [i.pk for i in listed.context["page"]] == [item.pk]
    assert "凤城街道12345转办台账" in listed.content.decode()


# The department queue


def test_the_queue_searches_and_filters(client, hotline):
    w = hotline
    leak = handed(w, title="楼道漏水", hotline_ticket="JN-A-001")
    lamp = handed(w, title="路灯不亮", hotline_ticket="JN-B-002")
    done = handed(w, title="井盖缺失", hotline_ticket="")
    done = services.item_accept(item=done, actor=w.handler)
    services.item_resolve(item=done, actor=w.handler, result="已补齐")
    client.force_login(w.handler)
    url = reverse("ledger:department-queue")

    def shown(**query):
        return [i.title for i in client.get(url, query).context["page"]]

    assert shown() == ["楼道漏水", "路灯不亮", "井盖缺失"]  # open first
    assert shown(q="B-002") == ["路灯不亮"]
    assert shown(q=leak.number) == ["楼道漏水"]
    assert shown(q="井盖") == ["井盖缺失"]
    assert shown(status=Status.RESOLVED) == ["井盖缺失"]
    assert shown(light="red") == []
    with time_machine.travel(lamp.due_at + datetime.timedelta(hours=1), tick=False):
        client.force_login(w.handler)  # the sign-in of ten days ago has expired
        assert shown(light="red") == ["楼道漏水", "路灯不亮"]
    partial = client.get(url, {"q": "B-002"}, **HTMX)
    assert "<html" not in partial.content.decode() and partial["HX-Push-Url"] == f"{url}?q=B-002"
    # One deadline format: the one deadline filter's, the last day.
    due = timezone.localtime(lamp.due_at - datetime.timedelta(microseconds=1)).date()
    assert due.isoformat() in client.get(url, {"q": "B-002"}).content.decode()


def test_the_queue_is_for_department_handlers(client, hotline):
    client.force_login(hotline.staff_a)
    assert client.get(reverse("ledger:department-queue")).status_code == 403


# 催办 and 撤回


def test_the_township_urges_the_department(client, hotline):
    w = hotline
    item = handed(w)
    assert may(w.staff_a, "urge", item) and may(w.district_admin, "urge", item)
    assert not may(w.handler, "urge", item)  # the department does not urge itself
    assert not may(w.staff_b, "urge", item) and not may(w.secretary_a, "urge", item)
    with pytest.raises(StepRefused):
        services.item_urge(item=item, actor=w.handler, note="")
    client.force_login(w.staff_a)
    url = reverse("ledger:item-step", args=[item.pk, "urge"])
    assert client.get(url).status_code == 405
    assert client.post(url, {"note": "群众再次来电，请加快"}).status_code == 302
    client.post(url, {"note": "请今天答复"})
    # Both urges are in the history; the department is told once that day.
    notes = list(item.events.filter(action=EventAction.URGE).values_list("note", flat=True))
    assert notes == ["群众再次来电，请加快", "请今天答复"]
    assert told("ledger.urged") == ["zjj"]
    note = Notification.objects.get(kind="ledger.urged")
    assert note.title.startswith("催办：") and note.url == item.get_absolute_url()
    # Another township cannot even see it.
    client.force_login(w.staff_b)
    assert client.post(url, {"note": "x"}).status_code == 404


def test_the_township_withdraws_an_item_from_the_department(client, hotline):
    w = hotline
    item = handed(w)
    item = services.item_accept(item=item, actor=w.handler)
    assert not may(w.handler, "withdraw", item) and not may(w.staff_b, "withdraw", item)
    client.force_login(w.staff_a)
    url = reverse("ledger:item-step", args=[item.pk, "withdraw"])
    # A reason is required; nothing changes without one.
    assert client.post(url, {"version": item.version, "note": ""}).status_code == 400
    item.refresh_from_db()
    assert item.status == Status.ACCEPTED and item.responsible_unit == w.department
    answer = client.post(url, {"version": item.version, "note": "改由街道自办"}, **HTMX)
    assert answer.status_code == 200 and "已完成：从部门撤回" in answer.content.decode()
    item.refresh_from_db()
    assert item.responsible_unit == w.township_a and item.handed_over_from is None
    assert item.status == Status.IN_PROGRESS and item.handler is None
    event = item.events.get(action=EventAction.WITHDRAW)
    assert event.actor == w.staff_a and event.data["department"] == w.department.pk
    assert told("ledger.withdrawn") == ["zjj"]
    # The department no longer holds it: out of its scope, and nothing left to urge.
    client.force_login(w.handler)
    assert client.get(item.get_absolute_url()).status_code == 404
    assert not may(w.staff_a, "urge", item)
    with pytest.raises(StepRefused):
        services.item_withdraw(item=item, actor=w.staff_a, note="再撤一次")


def test_an_item_the_township_keeps_cannot_be_urged_or_withdrawn(hotline):
    w = hotline
    item = make_item(w, actor=w.staff_a, responsible_unit=w.township_a, unit=w.community_a)
    assert not may(w.staff_a, "urge", item) and not may(w.staff_a, "withdraw", item)
