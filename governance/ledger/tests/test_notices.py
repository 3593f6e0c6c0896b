"""Steps that give someone work tell them at once (governance.ledger.notices), once each."""

import datetime

import pytest
from django.core import mail
from django.db import transaction

from governance import notifications
from governance.ledger import services
from governance.models import Notification, Source, Status
from governance.testing import frozen
from governance.tests.factories import make_item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _weekday():
    with frozen(2026, 11, 10, 10):
        yield


def inbox(kind=None) -> dict[str, list[str]]:
    """{username: [titles]} of every notification (of one kind)."""
    rows = Notification.objects.order_by("pk")
    if kind:
        rows = rows.filter(kind=kind)
    told: dict[str, list[str]] = {}
    for n in rows.select_related("recipient"):
        told.setdefault(n.recipient.username, []).append(n.title)
    return told


def township_item(w):
    """An item the township registered for itself."""
    return make_item(w, actor=w.staff_a, responsible_unit=w.township_a, unit=w.community_a)


def test_registering_an_item_tells_the_responsible_unit(ledger_world):
    w = ledger_world
    item = make_item(w, actor=w.staff_a)
    assert inbox() == {"shuji_a": [f"新事项（花园社区）：{item.number}“楼道漏水”"]}
    note = Notification.objects.get()
    assert note.kind == "ledger.registered" and note.url == item.get_absolute_url()
    assert "花园社区书记接待日诉求台账" in note.body


def test_whoever_registers_is_not_told_of_their_own_step(ledger_world):
    make_item(ledger_world, actor=ledger_world.secretary_a)
    assert inbox() == {}


def test_a_problem_reported_from_a_visit_tells_the_community(ledger_world):
    w = ledger_world
    item = make_item(w, actor=w.worker_a, source=Source.GRID_VISIT, responsible_unit=None)
    assert item.responsible_unit == w.community_a
    assert inbox("ledger.reported") == {"shuji_a": [f"网格走访上报问题：{item.number}“楼道漏水”"]}
    assert "花园第一网格" in Notification.objects.get().body


def test_hand_over_tells_the_department_once_and_return_tells_the_sender(ledger_world):
    w = ledger_world
    item = township_item(w)
    item = services.item_hand_over(
        item=item, actor=w.staff_a, department=w.department, note="需维修基金"
    )
    assert inbox() == {"zjj": [f"{item.number}“楼道漏水”已移交区住建局"]}
    assert "凤城街道" in Notification.objects.get().body
    item = services.item_return(item=item, actor=w.handler, note="不属于本部门职责")
    assert inbox("ledger.returned") == {"staff_a": [f"区住建局退回了{item.number}“楼道漏水”"]}
    # Handed over and returned again the same day: nobody is told twice.
    item = services.item_hand_over(item=item, actor=w.staff_a, department=w.department, note="再议")
    services.item_return(item=item, actor=w.handler, note="仍不属于")
    assert {u: len(t) for u, t in inbox().items()} == {"zjj": 1, "staff_a": 1}


def test_resolved_by_the_department_tells_the_township_that_handed_it_over(ledger_world):
    w = ledger_world
    item = services.item_hand_over(
        item=township_item(w), actor=w.staff_a, department=w.department, note="需维修基金"
    )
    item = services.item_accept(item=item, actor=w.handler)
    item = services.item_resolve(item=item, actor=w.handler, result="已维修")
    assert inbox("ledger.resolved") == {"staff_a": [f"{item.number}“楼道漏水”已办结，待您核实"]}
    # Verification fails: the department has it back, and is told.
    item = services.item_verify(item=item, actor=w.staff_a, passed=False, note="仍漏水")
    assert list(inbox("ledger.verify_failed")) == ["zjj"]
    # Resolved again the same day: the township's inbox already holds the message.
    services.item_resolve(item=item, actor=w.handler, result="已重新维修")
    assert len(inbox("ledger.resolved")["staff_a"]) == 1


def test_a_community_item_resolved_on_the_spot_goes_to_the_community_to_verify(ledger_world):
    w = ledger_world
    item = make_item(w, actor=w.worker_a, source=Source.GRID_VISIT, handler=w.worker_a)
    item = services.item_accept(item=item, actor=w.worker_a)
    services.item_resolve(item=item, actor=w.worker_a, result="当场处理")
    assert list(inbox("ledger.resolved")) == ["shuji_a"]


def test_unsatisfied_resident_reopens_and_tells_the_responsible_unit(ledger_world):
    w = ledger_world
    item = township_item(w)
    item = services.item_start(item=item, actor=w.staff_a)
    item = services.item_resolve(item=item, actor=w.staff_a, result="已处理")
    item = services.item_verify(item=item, actor=w.district_admin, passed=True)
    services.item_record_satisfaction(item=item, actor=w.district_admin, satisfaction="unsatisfied")
    assert list(inbox("ledger.reopened")) == ["staff_a"]


def test_extension_request_and_decision(ledger_world):
    w = ledger_world
    item = services.item_hand_over(
        item=township_item(w), actor=w.staff_a, department=w.department, note="需维修基金"
    )
    request = services.extension_request(
        item=item, actor=w.handler, reason="需上会研究", due_on=datetime.date(2026, 12, 31)
    )
    assert list(inbox("ledger.extension_pending")) == ["d_admin"]
    services.extension_decide(extension=request, actor=w.district_admin, approve=True)
    assert inbox("ledger.extension_decided") == {
        "zjj": [f"{item.number}“楼道漏水”延期已批准，新期限2026-12-31"]
    }
    # The daily sweep does not repeat what the request told.
    assert notifications.run_sweeps(kinds=["ledger.extension_pending"]) == {
        "ledger.extension_pending": 0
    }


def test_a_step_rolled_back_tells_nobody(ledger_world):
    w = ledger_world
    item = township_item(w)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.item_hand_over(item=item, actor=w.staff_a, department=w.department, note="x")
        raise RuntimeError
    assert inbox() == {}
    assert Status(type(item).objects.get(pk=item.pk).status) == Status.RECEIVED


def test_the_mail_goes_out_when_the_step_commits(
    ledger_world, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from governance import tasks

    w = ledger_world
    settings.SHANZHI_MAIL_ENABLED = True
    settings.SHANZHI_PUBLIC_BASE_URL = "https://shanzhi.example.gov.cn/"
    w.handler.email = "zjj@example.org"
    w.handler.save()
    monkeypatch.setattr(
        tasks.send_pending_notification_mail,
        "apply_async",
        lambda **options: notifications.send_pending_mail(),
    )
    item = township_item(w)
    with django_capture_on_commit_callbacks(execute=True):
        services.item_hand_over(item=item, actor=w.staff_a, department=w.department, note="急")
    assert [m.to for m in mail.outbox] == [["zjj@example.org"]]
    assert "已移交区住建局" in mail.outbox[0].subject
    assert f"https://shanzhi.example.gov.cn/ledger/items/{item.pk}/" in mail.outbox[0].body
