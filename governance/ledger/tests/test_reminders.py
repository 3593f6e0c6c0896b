import datetime
import re
import threading

import pytest
import time_machine
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from governance import notifications
from governance.ledger import reminders, services
from governance.models import (
    EventAction,
    Ledger,
    LedgerEvent,
    LedgerItem,
    LedgerKind,
    Notification,
    ReviewKind,
    ReviewMeeting,
    ReviewSchedule,
)
from governance.testing import frozen, moment
from governance.tests.factories import make_item

pytestmark = pytest.mark.django_db

YELLOW = reminders.TURNING_YELLOW.name
DUE_TODAY = reminders.DUE_TODAY.name
OVERDUE = reminders.OVERDUE.name
SUPERVISED = reminders.SUPERVISED.name
EXTENSION = reminders.EXTENSION_PENDING.name
WEEKLY = reminders.WEEKLY_REVIEW.name
LEDGER_KINDS = [kind.name for kind in reminders.KINDS]

# Monday 2 November 2026, 09:00: ten working days for a leaking roof end on Monday 16
# November, so the item is due at 24:00 that day (17 November 00:00).
RECEIVED = moment(2026, 11, 2, 9, 0)


def new_item(w, **kwargs):
    return make_item(w, **{"received_at": RECEIVED, **kwargs})


def sweep(at, *kinds):
    """Run the ledger sweeps as the beat would at the moment `at`."""
    with time_machine.travel(at, tick=False):
        return notifications.run_sweeps(kinds=list(kinds) or LEDGER_KINDS)


def sent(kind, **filters):
    return Notification.objects.filter(kind=kind, **filters)


def recipients(kind, **filters):
    return set(sent(kind, **filters).values_list("recipient__username", flat=True))


def number_in(text):
    """The count in a reminder's title, whatever language it was written in."""
    return int(re.search(r"\d+", text).group())


def item_url(item):
    try:
        return reverse("ledger:item-detail", args=[item.pk])
    except NoReverseMatch:
        return ""


def test_the_deadline_of_the_fixture_item(ledger_world):
    item = new_item(ledger_world)
    assert item.due_at == moment(2026, 11, 17)
    assert reminders.due_date(item.due_at) == datetime.date(2026, 11, 16)
    assert moment(2026, 11, 11) < item.warn_at < moment(2026, 11, 12)


def test_turning_yellow_is_sent_once_even_across_days(ledger_world):
    w = ledger_world
    item = new_item(w)
    assert sweep(item.warn_at - datetime.timedelta(minutes=1), YELLOW) == {YELLOW: 0}

    assert sweep(item.warn_at + datetime.timedelta(minutes=5), YELLOW) == {YELLOW: 1}
    note = sent(YELLOW).get()
    assert note.recipient == w.secretary_a and note.subject == item
    assert item.number in note.title and "楼道漏水" in note.title and "2026-11-16" in note.title
    assert note.url == item_url(item)
    item.refresh_from_db()
    assert item.yellow_reminded_at == item.warn_at + datetime.timedelta(minutes=5)

    # The same day, the next day: still yellow, but already reminded.
    assert sweep(item.warn_at + datetime.timedelta(hours=1), YELLOW) == {YELLOW: 0}
    assert sweep(moment(2026, 11, 13, 9), YELLOW) == {YELLOW: 0}
    assert sent(YELLOW).count() == 1


def test_an_approved_extension_lets_it_warn_again(ledger_world):
    w = ledger_world
    item = new_item(w)
    sweep(item.warn_at + datetime.timedelta(minutes=5), YELLOW)
    with frozen(2026, 11, 12, 10):
        request = services.extension_request(
            item=item, actor=w.secretary_a, reason="需招标", due_on=datetime.date(2026, 11, 27)
        )
        services.extension_decide(extension=request, actor=w.staff_a, approve=True)
    item.refresh_from_db()
    assert item.yellow_reminded_at is None and item.warn_at > moment(2026, 11, 17)
    assert sweep(item.warn_at - datetime.timedelta(minutes=1), YELLOW) == {YELLOW: 0}
    assert sweep(item.warn_at + datetime.timedelta(minutes=1), YELLOW) == {YELLOW: 1}
    assert sent(YELLOW).count() == 2


def test_a_worker_down_over_the_warning_still_warns_before_the_deadline(ledger_world):
    item = new_item(ledger_world)
    assert sweep(moment(2026, 11, 16, 23, 50), YELLOW) == {YELLOW: 1}
    # Down until after the deadline: no yellow any more, the item is overdue instead.
    late = new_item(ledger_world)
    assert sweep(moment(2026, 11, 17, 0, 5), YELLOW, OVERDUE) == {YELLOW: 0, OVERDUE: 2}
    assert set(sent(OVERDUE).values_list("subject_id", flat=True)) == {item.pk, late.pk}


def test_due_today_on_the_last_day_only_and_once(ledger_world):
    w = ledger_world
    item = new_item(w)
    assert sweep(moment(2026, 11, 15, 9), DUE_TODAY) == {DUE_TODAY: 0}  # Sunday
    assert sweep(moment(2026, 11, 16, 0, 15), DUE_TODAY) == {DUE_TODAY: 1}
    assert sweep(moment(2026, 11, 16, 16, 0), DUE_TODAY) == {DUE_TODAY: 0}
    assert sweep(moment(2026, 11, 17, 0, 15), DUE_TODAY) == {DUE_TODAY: 0}
    note = sent(DUE_TODAY).get()
    assert note.day == datetime.date(2026, 11, 16) and note.subject == item
    assert note.recipient == w.secretary_a


def test_due_today_for_a_deadline_in_hours(ledger_world):
    # A gas leak reported at 09:00 is due at 13:00 the same day (4 working hours).
    item = new_item(ledger_world, category=ledger_world.urgent, title="燃气泄漏")
    assert item.due_at == moment(2026, 11, 2, 13)
    assert sweep(moment(2026, 11, 2, 9, 15), DUE_TODAY) == {DUE_TODAY: 1}
    assert "13:00" in sent(DUE_TODAY).get().title
    # Past 13:00 it is overdue, not due today.
    assert sweep(moment(2026, 11, 2, 13, 15), OVERDUE) == {OVERDUE: 1}


def test_overdue_goes_to_the_handler_and_the_unit_every_day(ledger_world):
    w = ledger_world
    item = new_item(w)
    services.item_plan(item=item, actor=w.secretary_a, measures="联系物业维修", handler=w.worker_a)
    new_item(w, ledger=w.ledger_b, unit=w.grid_b, responsible_unit=w.community_b, actor=None)

    assert sweep(moment(2026, 11, 16, 23, 59), OVERDUE) == {OVERDUE: 0}
    assert sweep(moment(2026, 11, 17, 9), OVERDUE) == {OVERDUE: 3}
    assert recipients(OVERDUE, subject_id=item.pk) == {"wgy_a", "shuji_a"}
    assert sweep(moment(2026, 11, 17, 9, 15), OVERDUE) == {OVERDUE: 0}
    assert sweep(moment(2026, 11, 18, 9), OVERDUE) == {OVERDUE: 3}
    assert sent(OVERDUE, subject_id=item.pk, recipient=w.worker_a).count() == 2
    # Not the township, the district, nor the other community's secretary.
    assert recipients(OVERDUE) == {"wgy_a", "shuji_a", "shuji_b"}
    assert recipients(OVERDUE, recipient__username="shuji_b") == {"shuji_b"}
    assert "2026-11-16" in sent(OVERDUE, recipient=w.worker_a).first().title

    services.item_start(item=item, actor=w.secretary_a)
    services.item_resolve(item=item, actor=w.secretary_a, result="已维修")
    assert sweep(moment(2026, 11, 19, 9), OVERDUE) == {OVERDUE: 1}  # only the other one


def test_ended_roles_and_inactive_accounts_are_not_reminded(ledger_world):
    w = ledger_world
    new_item(w)
    w.secretary_a.is_active = False
    w.secretary_a.save()
    assert sweep(moment(2026, 11, 17, 9), OVERDUE) == {OVERDUE: 0}


def test_a_department_hears_of_what_was_handed_to_it(ledger_world):
    w = ledger_world
    with frozen(2026, 11, 2, 10):
        item = services.item_hand_over(
            item=new_item(w), actor=w.secretary_a, department=w.department, note="需维修基金"
        )
    overdue_at = item.due_at + datetime.timedelta(hours=9)
    sweep(overdue_at, OVERDUE)
    assert recipients(OVERDUE) == {"zjj"}


def test_supervision_escalates_once_and_records_the_event(ledger_world):
    w = ledger_world
    item = new_item(w)
    # Due date Monday 16 November: overdue by 1 working day on the 17th, 2 on the 18th, 3 on
    # the 19th, when it is supervised.
    assert sweep(moment(2026, 11, 18, 9), SUPERVISED) == {SUPERVISED: 0}
    assert sweep(moment(2026, 11, 19, 0, 15), SUPERVISED) == {SUPERVISED: 1}
    note = sent(SUPERVISED).get()
    assert note.recipient == w.staff_a  # the township above the community
    assert item.number in note.title and "3" in note.title
    event = LedgerEvent.objects.get(item=item, action=EventAction.SUPERVISE)
    assert event.at == moment(2026, 11, 19, 0, 15) and event.data == {"overdue_workdays": 3}
    assert event.actor is None and event.from_status == event.to_status == "received"
    item.refresh_from_db()
    assert item.supervised_at == moment(2026, 11, 19, 0, 15)

    assert sweep(moment(2026, 11, 19, 9), SUPERVISED) == {SUPERVISED: 0}
    assert sweep(moment(2026, 11, 20, 9), SUPERVISED) == {SUPERVISED: 0}
    assert LedgerEvent.objects.filter(item=item, action=EventAction.SUPERVISE).count() == 1


def test_supervision_of_a_department_goes_to_the_district(ledger_world):
    w = ledger_world
    with frozen(2026, 11, 2, 10):
        item = services.item_hand_over(
            item=new_item(w), actor=w.secretary_a, department=w.department, note="需维修基金"
        )
    sweep(item.due_at + datetime.timedelta(days=7), SUPERVISED)
    assert recipients(SUPERVISED) == {"d_admin"}


def test_supervision_counts_working_days_not_calendar_days(ledger_world, settings):
    settings.SHANZHI_ESCALATE_AFTER_WORKDAYS = 2
    # Due Friday 13 November (received Friday 30 October with ten working days).
    item = new_item(ledger_world, received_at=moment(2026, 10, 30, 9))
    assert reminders.due_date(item.due_at) == datetime.date(2026, 11, 13)
    assert sweep(moment(2026, 11, 16, 9), SUPERVISED) == {SUPERVISED: 0}  # Monday: 1
    assert sweep(moment(2026, 11, 17, 9), SUPERVISED) == {SUPERVISED: 1}  # Tuesday: 2


def test_catch_up_after_the_worker_was_down_for_three_days(ledger_world):
    w = ledger_world
    item = new_item(w)
    services.item_plan(item=item, actor=w.secretary_a, measures="联系物业维修", handler=w.worker_a)
    # Nothing ran on 17, 18 and 19 November. The first run on the 20th, and the ticks after it:
    for minute in (5, 20, 35):
        sweep(moment(2026, 11, 20, 8, minute))
    assert sent(OVERDUE).count() == 2  # handler and secretary, once, for today only
    assert set(sent(OVERDUE).values_list("day", flat=True)) == {datetime.date(2026, 11, 20)}
    assert sent(SUPERVISED).count() == 1
    assert LedgerEvent.objects.filter(item=item, action=EventAction.SUPERVISE).count() == 1
    assert LedgerEvent.objects.get(item=item, action=EventAction.SUPERVISE).data == {
        "overdue_workdays": 4
    }
    assert not sent(YELLOW).exists() and not sent(DUE_TODAY).exists()


def test_two_sweeps_at_once_send_each_reminder_once(ledger_world):
    w = ledger_world
    for _ in range(3):
        new_item(w)
    at = moment(2026, 11, 19, 9)
    first = sweep(at)
    second = sweep(at)
    assert first[OVERDUE] == 3 and first[SUPERVISED] == 3
    assert all(count == 0 for count in second.values()), second
    assert LedgerEvent.objects.filter(action=EventAction.SUPERVISE).count() == 3


def test_two_overlapping_deliveries_split_the_reminders(ledger_world):
    w = ledger_world
    items = [new_item(w) for _ in range(3)]
    day = datetime.date(2026, 11, 18)
    with frozen(2026, 11, 18, 9):
        found = list(reminders.overdue(day))
        again = list(reminders.overdue(day))
    assert found == again and len(found) == 3
    won_first = notifications.deliver(OVERDUE, day, found[:2])
    won_second = notifications.deliver(OVERDUE, day, again)
    assert {n.subject_id for n in won_first} == {items[0].pk, items[1].pk}
    assert [n.subject_id for n in won_second] == [items[2].pk]


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's shared in-memory test database runs one writer after the other: the two "
    "sweeps would not overlap. Runs on PostgreSQL (CI's second phase).",
)
@pytest.mark.django_db(transaction=True)
def test_two_workers_sweeping_at_the_same_moment(ledger_world):
    """Two threads run every ledger sweep at once: every reminder and claim happens once.
    PostgreSQL makes the second worker wait on the row locks and find nothing left."""
    w = ledger_world
    items = [new_item(w) for _ in range(4)]
    barrier = threading.Barrier(2)
    outcomes = []

    def run():
        try:
            barrier.wait(timeout=10)
            outcomes.append(notifications.run_sweeps(datetime.date(2026, 11, 19), LEDGER_KINDS))
        except Exception as error:  # shown by the assertion below
            outcomes.append(type(error).__name__)
        finally:
            close_old_connections()
            connection.close()

    with frozen(2026, 11, 19, 9):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    won = [o for o in outcomes if isinstance(o, dict)]
    assert len(won) == 2, outcomes
    assert sum(o[OVERDUE] for o in won) == 4
    assert sum(o[SUPERVISED] for o in won) == 4
    assert sent(OVERDUE).count() == 4 and sent(SUPERVISED).count() == 4
    for item in items:
        assert LedgerEvent.objects.filter(item=item, action=EventAction.SUPERVISE).count() == 1


def test_two_workers_claim_a_yellow_item_once(ledger_world):
    item = new_item(ledger_world)
    at = item.warn_at + datetime.timedelta(minutes=1)
    with time_machine.travel(at, tick=False):
        day = timezone.localdate()
        # The second sweep starts after the first has claimed: it finds nothing to send.
        first = list(reminders.turning_yellow(day))
        second = list(reminders.turning_yellow(day))
    assert len(first) == 1 and second == []


def test_extension_requests_remind_the_level_above_until_decided(ledger_world):
    w = ledger_world
    item = new_item(w)
    with frozen(2026, 11, 10, 10):
        request = services.extension_request(
            item=item,
            actor=w.secretary_a,
            reason="需招标采购材料",
            due_on=datetime.date(2026, 11, 30),
        )
    # Told at once when asked (ledger.notices), under the sweep's kind: the sweep that day
    # does not repeat it.
    note = sent(EXTENSION).get()
    assert note.recipient == w.staff_a and note.subject == request
    assert "需招标采购材料" in note.body and "2026-11-30" in note.body
    assert note.url == item_url(item)
    assert sweep(moment(2026, 11, 10, 10, 15), EXTENSION) == {EXTENSION: 0}
    assert sent(EXTENSION).count() == 1
    assert sweep(moment(2026, 11, 11, 9), EXTENSION) == {EXTENSION: 1}
    services.extension_decide(extension=request, actor=w.staff_a, approve=False)
    assert sweep(moment(2026, 11, 12, 9), EXTENSION) == {EXTENSION: 0}


def test_a_departments_extension_goes_to_the_district(ledger_world):
    w = ledger_world
    with frozen(2026, 11, 2, 10):
        item = services.item_hand_over(
            item=new_item(w), actor=w.secretary_a, department=w.department, note="需维修基金"
        )
        services.extension_request(
            item=item, actor=w.handler, reason="需上会研究", due_on=datetime.date(2026, 12, 31)
        )
    sweep(moment(2026, 11, 3, 9), EXTENSION)
    assert recipients(EXTENSION) == {"d_admin"}


def test_no_extension_reminders_for_an_item_already_done(ledger_world):
    w = ledger_world
    item = new_item(w)
    services.extension_request(
        item=item, actor=w.secretary_a, reason="需招标", due_on=datetime.date(2026, 11, 30)
    )
    services.item_close_explained(item=item, actor=w.secretary_a, explanation="已向居民说明")
    assert sweep(moment(2026, 11, 11, 9), EXTENSION) == {EXTENSION: 0}


def test_weekly_review_reminder_on_the_day_before(ledger_world):
    w = ledger_world
    # Reception-day demands without a category wait for the review: no deadline yet.
    demands = [new_item(w, category=None, title=f"诉求{n}") for n in range(3)]
    new_item(w, category=None, received_at=moment(2026, 10, 26, 9))  # more than a week old
    services.item_plan(
        item=demands[0],
        actor=w.secretary_a,
        measures="物业维修",
        due_on=datetime.date(2026, 11, 13),
        reviewed=True,
    )
    # Community B meets on Tuesdays.
    ReviewSchedule.objects.create(unit=w.community_b, weekday=1)
    new_item(
        w,
        ledger=w.ledger_b,
        unit=w.grid_b,
        responsible_unit=w.community_b,
        category=None,
        actor=None,
    )

    assert sweep(moment(2026, 11, 3, 18), WEEKLY) == {WEEKLY: 0}  # Tuesday: B's meeting day
    assert sweep(moment(2026, 11, 4, 18), WEEKLY) == {WEEKLY: 0}  # Wednesday
    assert sweep(moment(2026, 11, 5, 8), WEEKLY) == {WEEKLY: 1}  # Thursday, before Friday
    note = sent(WEEKLY).get()
    assert note.recipient == w.secretary_a and note.subject == w.community_a
    assert number_in(note.title) == 2 and "花园社区" in note.title
    assert sweep(moment(2026, 11, 5, 17), WEEKLY) == {WEEKLY: 0}

    assert sweep(moment(2026, 11, 9, 8), WEEKLY) == {WEEKLY: 1}  # Monday, before B's Tuesday
    assert recipients(WEEKLY, day=datetime.date(2026, 11, 9)) == {"shuji_b"}


def test_weekly_review_counts_what_the_review_page_lists(ledger_world):
    from governance.ledger import reviews

    w = ledger_world
    # Studied without a deadline yet, received before the last meeting, raised in another
    # community, handed to a department: the page's definition decides, and so does the count.
    new_item(w, category=None, received_at=moment(2026, 10, 27, 9))
    planned = new_item(w, category=None)
    services.item_plan(item=planned, actor=w.secretary_a, measures="先研究", reviewed=True)
    ledger_a2 = Ledger.objects.create(
        unit=w.community_a2, name="鹏泉社区台账", kind=LedgerKind.RECEPTION_DAY, prefix="LW"
    )
    new_item(
        w,
        ledger=ledger_a2,
        unit=w.community_a2,
        responsible_unit=w.community_a2,
        category=None,
        actor=w.staff_a,
    )
    handed = new_item(w)
    services.item_hand_over(item=handed, actor=w.secretary_a, department=w.department, note="转")
    ReviewMeeting.objects.create(
        unit=w.community_a, kind=ReviewKind.WEEKLY, held_on=datetime.date(2026, 10, 23)
    )
    today = datetime.date(2026, 11, 5)
    listed = reviews.weekly_agenda(w.community_a, reviews.weekly_since(w.community_a, today))
    assert listed.count() == 2
    sweep(moment(2026, 11, 5, 8), WEEKLY)
    title = sent(WEEKLY).get(subject_id=w.community_a.pk).title
    assert number_in(title) == listed.count() and "花园社区" in title
    other = reviews.weekly_agenda(w.community_a2, reviews.weekly_since(w.community_a2, today))
    assert other.count() == 1  # nobody holds a role there: no reminder, but the same count
    assert not sent(WEEKLY, subject_id=w.community_a2.pk).exists()


LEDGER_DAYS = {
    # kind: the moment when every fixture item is due for that reminder
    YELLOW: moment(2026, 11, 12, 9),
    DUE_TODAY: moment(2026, 11, 16, 9),
    OVERDUE: moment(2026, 11, 17, 9),
    EXTENSION: moment(2026, 11, 11, 9),
    WEEKLY: moment(2026, 11, 5, 9),
}


def _make(w, n, ledger_kind):
    items = []
    for i in range(n):
        # Half of them with a handler, so handlers are looked up too.
        handler = w.worker_a if i % 2 else None
        category = None if ledger_kind == WEEKLY else w.category
        items.append(new_item(w, handler=handler, category=category, title=f"事项{i}"))
    if ledger_kind == EXTENSION:
        for item in items:
            services.extension_request(
                item=item, actor=w.secretary_a, reason="需招标", due_on=datetime.date(2026, 12, 1)
            )
    return items


@pytest.mark.parametrize("kind", sorted(LEDGER_DAYS))
def test_the_query_count_does_not_grow_with_the_items(
    ledger_world, django_assert_max_num_queries, kind
):
    w = ledger_world
    _make(w, 5, kind)
    # The weekly review reminds the community once, whatever the count.
    expected = (1, 1) if kind == WEEKLY else (5, 50)
    with CaptureQueriesContext(connection) as few:
        assert sweep(LEDGER_DAYS[kind], kind)[kind] >= expected[0]
    Notification.objects.all().delete()
    LedgerItem.objects.update(yellow_reminded_at=None)
    _make(w, 45, kind)
    with django_assert_max_num_queries(len(few)):
        assert sweep(LEDGER_DAYS[kind], kind)[kind] >= expected[1]


def test_supervision_queries_grow_only_by_the_escalations(ledger_world):
    w = ledger_world
    for _ in range(5):
        new_item(w)
    with CaptureQueriesContext(connection) as few:
        sweep(moment(2026, 11, 19, 9), SUPERVISED)
    for _ in range(45):
        new_item(w)
    with CaptureQueriesContext(connection) as many:
        assert sweep(moment(2026, 11, 20, 9), SUPERVISED) == {SUPERVISED: 45}
    per_item = len([q for q in many if "governance_ledgerevent" in q["sql"]])
    assert per_item == 45  # one event insert each, through services.item_supervise
    # Besides the service's calls (claim, reload, event, savepoints), nothing per item.
    assert len(many) - len(few) <= 45 * 5
    # The day after: nothing to escalate, few queries.
    with CaptureQueriesContext(connection) as after:
        assert sweep(moment(2026, 11, 23, 9), SUPERVISED) == {SUPERVISED: 0}
    assert len(after) <= len(few) - 5 * 3


def test_the_cutoff_matches_workdays_between(ledger_world):
    from governance import workdays

    calendar = workdays.WorkCalendar()
    # Around National Day 2026 with its make-up Saturday 10 October.
    for offset in range(0, 40):
        today = datetime.date(2026, 9, 25) + datetime.timedelta(days=offset)
        for after in (1, 3, 5):
            cutoff = reminders.supervision_cutoff(today, after, calendar)
            assert workdays.workdays_between(cutoff, today, calendar=calendar) >= after
            assert (
                workdays.workdays_between(
                    cutoff + datetime.timedelta(days=1), today, calendar=calendar
                )
                < after
            )
