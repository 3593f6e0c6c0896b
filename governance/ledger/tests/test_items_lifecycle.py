import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.utils import timezone

from governance.ledger import services
from governance.ledger.rules import allowed_steps
from governance.ledger.services import StepRefused
from governance.models import (
    EventAction,
    ExtensionRequest,
    LedgerEvent,
    LedgerItem,
    Satisfaction,
    Status,
)
from governance.testing import frozen, moment
from governance.tests.factories import make_item

pytestmark = pytest.mark.django_db

# Wednesday 30 September 2026, 10:00 in Asia/Shanghai: National Day starts the next day.
T0 = moment(2026, 9, 30, 10, 0)


def new_item(w, **kwargs):
    return make_item(w, **{"received_at": T0, **kwargs})


def test_numbers_are_readable_and_sequential(ledger_world):
    first, second = new_item(ledger_world), new_item(ledger_world)
    assert first.number == "LW-2026-000001" and second.number == "LW-2026-000002"


def test_deadline_counts_working_days_over_national_day(ledger_world):
    item = new_item(ledger_world)
    # 10 working days from 30 September: 8, 9, 10 (Saturday, 调休), 12–16, 19, 20 October.
    assert item.due_at == moment(2026, 10, 21)
    assert item.original_due_at == item.due_at
    assert item.accept_due_at == moment(2026, 10, 9)  # 1 working day: Thursday 8 October
    assert item.warn_at < item.due_at


def test_urgent_matters_count_hours(ledger_world):
    item = new_item(
        ledger_world, category=ledger_world.urgent, received_at=moment(2026, 10, 9, 22, 0)
    )
    # Friday 22:00 + 4 working hours: 2 hours on Friday, then Saturday 10 October is worked.
    assert item.due_at == moment(2026, 10, 10, 2, 0)


def test_a_reception_day_demand_without_category_waits_for_the_review(ledger_world):
    item = new_item(ledger_world, category=None)
    assert item.due_at is None and item.light() == "grey"
    services.item_plan(
        item=item,
        actor=ledger_world.secretary_a,
        measures="联系物业维修",
        due_on=datetime.date(2026, 10, 16),
        reviewed=True,
    )
    item.refresh_from_db()
    assert item.due_at == moment(2026, 10, 17) and item.reviewed_at is not None


def test_the_whole_lifecycle_with_hand_over(ledger_world):
    w = ledger_world
    item = new_item(w)
    with frozen(2026, 10, 8, 9):
        item = services.item_accept(item=item, actor=w.secretary_a)
        item = services.item_hand_over(
            item=item, actor=w.secretary_a, department=w.department, note="需住建局协调维修基金"
        )
    assert item.status == Status.HANDED_OVER and item.responsible_unit == w.department
    assert item.original_due_at == moment(2026, 10, 21)  # both deadlines are kept
    # The department's own 10 working days from 8 October: 9, 10 (调休), 12–16, 19–21.
    assert item.due_at == moment(2026, 10, 22)
    assert "accept" in allowed_steps(w.handler, item)
    assert "hand_over" not in allowed_steps(w.handler, item)
    with frozen(2026, 10, 12, 9):
        item = services.item_accept(item=item, actor=w.handler)
        item = services.item_resolve(item=item, actor=w.handler, result="已更换楼顶防水层")
    assert item.status == Status.RESOLVED and item.resolved_at == moment(2026, 10, 12, 9)
    item = services.item_verify(item=item, actor=w.secretary_a, passed=True)
    item = services.item_record_satisfaction(
        item=item, actor=w.secretary_a, satisfaction=Satisfaction.SATISFIED
    )
    assert item.status == Status.CLOSED and item.close_reason == "resolved"
    actions = list(LedgerEvent.objects.filter(item=item).values_list("action", flat=True))
    assert actions == [
        "create",
        "accept",
        "hand_over",
        "accept",
        "resolve",
        "verify",
        "satisfaction",
    ]
    hand_over = LedgerEvent.objects.get(item=item, action="hand_over")
    assert (hand_over.from_status, hand_over.to_status) == ("accepted", "handed_over")
    assert hand_over.actor == w.secretary_a


def test_the_department_returns_what_is_not_theirs(ledger_world):
    w = ledger_world
    item = services.item_hand_over(
        item=new_item(w), actor=w.secretary_a, department=w.department, note="转住建局"
    )
    item = services.item_return(item=item, actor=w.handler, note="属物业服务合同纠纷")
    assert item.responsible_unit == w.community_a and item.status == Status.IN_PROGRESS


def test_unsatisfied_reopens_with_a_fresh_period(ledger_world):
    w = ledger_world
    item = services.item_start(item=new_item(w), actor=w.secretary_a)
    item = services.item_resolve(item=item, actor=w.secretary_a, result="已维修")
    item = services.item_verify(item=item, actor=w.secretary_a, passed=True)
    item = services.item_record_satisfaction(
        item=item, actor=w.secretary_a, satisfaction=Satisfaction.UNSATISFIED, note="仍漏水"
    )
    assert item.status == Status.IN_PROGRESS and item.reopen_count == 1
    assert item.resolved_at is None
    assert LedgerEvent.objects.filter(item=item, action=EventAction.REOPEN).exists()


@pytest.mark.parametrize(
    ("step", "call"),
    [
        ("resolve", lambda w, i: services.item_resolve(item=i, actor=w.secretary_a, result="x")),
        ("verify", lambda w, i: services.item_verify(item=i, actor=w.secretary_a, passed=True)),
        (
            "satisfaction",
            lambda w, i: services.item_record_satisfaction(
                item=i, actor=w.secretary_a, satisfaction="satisfied"
            ),
        ),
        ("return", lambda w, i: services.item_return(item=i, actor=w.handler, note="x")),
    ],
)
def test_steps_out_of_order_are_refused_with_a_message(ledger_world, step, call):
    item = new_item(ledger_world)
    with pytest.raises(StepRefused) as refused:
        call(ledger_world, item)
    assert refused.value.messages
    assert LedgerItem.objects.get(pk=item.pk).status == Status.RECEIVED
    assert LedgerEvent.objects.filter(item=item).count() == 1


def test_roles_outside_the_item_are_refused(ledger_world):
    w = ledger_world
    item = new_item(w)
    for outsider in (w.secretary_b, w.leader, w.worker_a):
        with pytest.raises(StepRefused):
            services.item_accept(item=item, actor=outsider)
    # A department cannot act before the item is handed to it.
    with pytest.raises(StepRefused):
        services.item_accept(item=item, actor=w.handler)


def test_a_closed_item_can_be_explained_only_while_open(ledger_world):
    w = ledger_world
    item = services.item_close_explained(
        item=new_item(w), actor=w.secretary_a, explanation="属司法程序，已告知居民"
    )
    assert item.close_reason == "explained" and item.replied_at is not None
    with pytest.raises(StepRefused):
        services.item_close_explained(item=item, actor=w.secretary_a, explanation="再次")


def test_extension_moves_the_deadline_only_when_approved(ledger_world):
    w = ledger_world
    item = new_item(w)
    first_due = item.due_at
    request = services.extension_request(
        item=item, actor=w.secretary_a, reason="需招标", due_on=datetime.date(2026, 11, 6)
    )
    assert LedgerItem.objects.get(pk=item.pk).due_at == first_due
    with pytest.raises(StepRefused):  # the requester's own level cannot approve
        services.extension_decide(extension=request, actor=w.secretary_a, approve=True)
    services.extension_decide(extension=request, actor=w.staff_a, approve=True, note="同意")
    item.refresh_from_db()
    assert item.due_at == moment(2026, 11, 7) and item.original_due_at == first_due
    with pytest.raises(StepRefused):  # decided once
        services.extension_decide(extension=request, actor=w.staff_a, approve=False)
    second = services.extension_request(
        item=item, actor=w.secretary_a, reason="再延", due_on=datetime.date(2026, 11, 20)
    )
    services.extension_decide(extension=second, actor=w.staff_a, approve=False)
    item.refresh_from_db()
    assert item.due_at == moment(2026, 11, 7)
    assert ExtensionRequest.objects.filter(item=item).count() == 2


def test_an_extension_must_move_the_deadline_later(ledger_world):
    item = new_item(ledger_world)
    with pytest.raises(ValidationError):
        services.extension_request(
            item=item, actor=ledger_world.secretary_a, reason="x", due_on=datetime.date(2026, 10, 1)
        )


def test_a_stale_form_is_refused(ledger_world):
    w = ledger_world
    item = new_item(w)
    seen = item.version
    services.item_plan(item=item, actor=w.secretary_a, measures="联系物业", version=seen)
    with pytest.raises(StepRefused) as refused:
        services.item_plan(item=item, actor=w.staff_a, measures="另一措施", version=seen)
    assert refused.value.code == "stale"
    assert LedgerItem.objects.get(pk=item.pk).measures == "联系物业"


def test_light_from_stored_thresholds(ledger_world):
    item = new_item(ledger_world)
    assert item.light(item.warn_at - datetime.timedelta(seconds=1)) == "green"
    assert item.light(item.warn_at) == "yellow"
    assert item.light(item.due_at + datetime.timedelta(seconds=1)) == "red"
    assert LedgerItem.objects.overdue(item.due_at + datetime.timedelta(seconds=1)).count() == 1
    assert LedgerItem.objects.yellow(item.warn_at).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_people_acting_at_once_never_both_win(ledger_world):
    """Two threads resolve the same item at the same moment: exactly one succeeds."""
    w = ledger_world
    item = services.item_start(item=new_item(w), actor=w.secretary_a)
    barrier = threading.Barrier(2)
    outcomes = []

    def act(actor):
        try:
            barrier.wait(timeout=10)
            services.item_resolve(
                item=LedgerItem.objects.get(pk=item.pk),
                actor=actor,
                result=f"由{actor.username}办结",
            )
            outcomes.append("won")
        except Exception as error:  # StepRefused, or "database is locked" from SQLite
            outcomes.append(type(error).__name__)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=act, args=(u,)) for u in (w.secretary_a, w.staff_a)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcomes.count("won") == 1, outcomes
    assert LedgerEvent.objects.filter(item=item, action="resolve").count() == 1


def test_an_item_stays_inside_its_ledger_and_the_actors_scope(ledger_world):
    w = ledger_world
    with pytest.raises(ValidationError):
        new_item(w, unit=w.community_b, responsible_unit=w.community_b, actor=w.secretary_b)
    with pytest.raises(StepRefused):
        new_item(w, actor=w.secretary_b)
    grid_item = new_item(w, responsible_unit=None, actor=w.worker_a)
    assert grid_item.responsible_unit == w.community_a  # a grid's community answers for it


def test_finishing_an_item_withdraws_its_pending_extension(ledger_world):
    w = ledger_world
    item = services.item_start(item=new_item(w), actor=w.secretary_a)
    request = services.extension_request(
        item=item, actor=w.secretary_a, reason="需招标", due_on=datetime.date(2026, 11, 6)
    )
    services.item_resolve(item=item, actor=w.secretary_a, result="已提前修好")
    request.refresh_from_db()
    assert request.status == "withdrawn"


def test_a_hand_over_lets_the_department_deadline_be_supervised_again(ledger_world):
    w = ledger_world
    item = new_item(w)
    services.item_supervise(item_id=item.pk, now=timezone.now(), overdue_days=3)
    item = services.item_hand_over(
        item=LedgerItem.objects.get(pk=item.pk),
        actor=w.secretary_a,
        department=w.department,
        note="转住建局",
    )
    assert item.supervised_at is None
