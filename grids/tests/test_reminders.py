"""The grids' reminder kinds: their window, recipients, once a day, catch-up, query counts."""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance import notifications
from governance.models import Membership, Notification, Role, Unit
from governance.testing import frozen, moment
from governance.tests.factories import make_member, make_unit
from grids import reminders
from grids.models import CareTag, Household, RoundPolicy
from grids.tests.factories import make_household

pytestmark = pytest.mark.django_db

ROUND_ENDING = reminders.ROUND_ENDING.name
BEHIND = reminders.GRIDS_BEHIND.name
CARE = reminders.CARE_OVERDUE.name
KINDS = [kind.name for kind in reminders.KINDS]


def sweep(day, *kinds, hour=9):
    """Run the sweeps as the beat would at `hour` o'clock on `day` (a date or y, m, d)."""
    day = day if isinstance(day, datetime.date) else datetime.date(*day)
    with frozen(day, hour):
        return notifications.run_sweeps(kinds=list(kinds) or KINDS)


def sent(kind, **filters):
    return Notification.objects.filter(kind=kind, **filters)


def recipients(kind, **filters):
    return sorted(sent(kind, **filters).values_list("recipient__username", flat=True))


# grids.round_ending ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "fires"),
    [
        ((2026, 12, 26), False),
        ((2026, 12, 27), True),
        ((2026, 12, 31), True),
        ((2027, 1, 1), False),  # a new round: every household is due, but it has just begun
        ((2027, 1, 26), False),
        ((2027, 1, 27), True),
    ],
)
def test_round_ending_fires_in_its_window_only(rounds, day, fires):
    sweep(day, ROUND_ENDING)
    assert sent(ROUND_ENDING).exists() == fires


def test_round_ending_goes_to_each_grid_worker_with_the_count(rounds):
    w = rounds
    # A second worker of grid A; one whose role has ended; one whose account is disabled.
    make_member(w.grid_a, Role.GRID_WORKER, "wgy_a2")
    gone = make_member(w.grid_a, Role.GRID_WORKER, "wgy_gone")
    Membership.objects.filter(user=gone).update(ended_on=datetime.date(2026, 12, 1))
    make_member(w.grid_a, Role.GRID_WORKER, "wgy_off", is_active=False)
    assert sweep((2026, 12, 28), ROUND_ENDING) == {ROUND_ENDING: 3}
    assert recipients(ROUND_ENDING, subject_id=w.grid_a.pk) == ["wgy_a", "wgy_a2"]
    assert recipients(ROUND_ENDING, subject_id=w.grid_b.pk) == ["wgy_b"]
    assert not sent(ROUND_ENDING, subject_id=w.grid_a2.pk).exists()  # all visited
    reminder = sent(ROUND_ENDING, recipient=w.worker_a).get()
    assert re.search(r"\d+", reminder.title).group() == "2"
    assert "2026-12-31" in reminder.title
    assert reminder.url == reverse("grids:unvisited", args=[w.grid_a.pk])
    assert reminder.subject == w.grid_a


def test_round_ending_at_most_once_a_day_and_again_the_next(rounds):
    assert sweep((2026, 12, 28), ROUND_ENDING) == {ROUND_ENDING: 2}
    assert sweep((2026, 12, 28), ROUND_ENDING, hour=15) == {ROUND_ENDING: 0}
    assert sweep((2026, 12, 29), ROUND_ENDING) == {ROUND_ENDING: 2}
    assert sent(ROUND_ENDING).count() == 4


def test_round_ending_stops_when_the_grid_is_done(rounds):
    w = rounds
    sweep((2026, 12, 28), ROUND_ENDING)
    Household.objects.filter(grid=w.grid_a).update(last_visited_at=moment(2026, 12, 28, 11))
    sweep((2026, 12, 29), ROUND_ENDING)
    assert recipients(ROUND_ENDING, day=datetime.date(2026, 12, 29)) == ["wgy_b"]


def test_round_ending_catches_up_after_a_gap(rounds):
    """The beat was down from the 26th to the 30th: the first run sends that day's reminders,
    and a run for a missed day still in the window sends that day's."""
    assert sweep((2026, 12, 30), ROUND_ENDING) == {ROUND_ENDING: 2}
    with frozen(2026, 12, 30, 9):
        assert notifications.run_sweeps(datetime.date(2026, 12, 29), [ROUND_ENDING]) == {
            ROUND_ENDING: 2
        }
        assert notifications.run_sweeps(datetime.date(2026, 12, 25), [ROUND_ENDING]) == {
            ROUND_ENDING: 0
        }


def test_each_district_has_its_own_round_and_window(rounds):
    w = rounds
    community = make_unit(w.other_township, Unit.Kind.COMMUNITY, "熊山社区")
    grid = make_unit(community, Unit.Kind.GRID, "熊山第一网格")
    make_member(grid, Role.GRID_WORKER, "wgy_zh")
    make_household(grid, "101")
    RoundPolicy.objects.create(district=w.other_district, months=3, remind_days_before_end=10)
    sweep((2026, 11, 28), ROUND_ENDING)  # Laiwu's November ends; Zhenghe's quarter does not
    assert recipients(ROUND_ENDING) == ["wgy_a", "wgy_b"]
    Notification.objects.all().delete()
    sweep((2026, 12, 22), ROUND_ENDING)  # Zhenghe's quarter: 10 days before 1 January
    assert recipients(ROUND_ENDING) == ["wgy_zh"]
    # A district without a policy: monthly, 5 days.
    RoundPolicy.objects.filter(district=w.other_district).delete()
    assert coverage_window(w.other_district) == (datetime.date(2026, 12, 27), True)


def coverage_window(district):
    from grids import coverage

    for row in coverage.district_rounds(datetime.date(2026, 12, 27)):
        if row.district_id == district.pk:
            return row.round.end - datetime.timedelta(days=5), row.reminding_on(
                datetime.date(2026, 12, 27)
            )
    return None


def test_zero_days_switches_round_reminders_off(rounds):
    RoundPolicy.objects.update(remind_days_before_end=0)
    assert sweep((2026, 12, 31), ROUND_ENDING, BEHIND) == {ROUND_ENDING: 0, BEHIND: 0}


# grids.grids_behind ------------------------------------------------------------------------


def test_grids_behind_goes_to_the_community_staff_with_the_list(rounds):
    w = rounds
    assert sweep((2026, 12, 26), BEHIND) == {BEHIND: 0}
    assert sweep((2026, 12, 27), BEHIND) == {BEHIND: 3}
    # Staff at the community itself: the secretary and the cadre, not the township's staff.
    assert recipients(BEHIND, subject_id=w.community_a.pk) == ["cadre_a", "shuji_a"]
    assert recipients(BEHIND, subject_id=w.community_b.pk) == ["shuji_b"]
    reminder = sent(BEHIND, recipient=w.secretary_a).get()
    assert reminder.subject == w.community_a
    assert "花园第一网格" in reminder.body and "花园第二网格" not in reminder.body
    assert re.search(r"\d+", reminder.title).group() == "1"
    assert reminder.url == reverse("grids:coverage") + f"?unit={w.community_a.pk}"
    assert sweep((2026, 12, 27), BEHIND) == {BEHIND: 0}
    assert sweep((2026, 12, 31), BEHIND) == {BEHIND: 3}
    assert sweep((2027, 1, 1), BEHIND) == {BEHIND: 0}


def test_a_community_with_every_grid_done_is_not_told(rounds):
    w = rounds
    Household.objects.filter(grid__in=[w.grid_a, w.grid_a2]).update(
        last_visited_at=moment(2026, 12, 20)
    )
    sweep((2026, 12, 28), BEHIND)
    assert recipients(BEHIND) == ["shuji_b"]


# grids.care_overdue ------------------------------------------------------------------------


def test_care_overdue_daily_while_overdue(care):
    w = care
    assert sweep((2026, 12, 7), CARE) == {CARE: 0}  # 6 days
    # The 8th: 7 days have passed by the end of the day; a sweep at 9:00 judges by now.
    assert sweep((2026, 12, 8), CARE) == {CARE: 0}
    assert sweep((2026, 12, 8), CARE, hour=11) == {CARE: 1}
    assert sweep((2026, 12, 8), CARE, hour=15) == {CARE: 0}
    reminder = sent(CARE).get()
    assert (reminder.recipient, reminder.subject) == (w.worker_a, w.lonely)
    assert "张**" in reminder.title and "张三丰" not in reminder.title + reminder.body
    assert "2026-12-01" in reminder.body
    assert sweep((2026, 12, 9), CARE) == {CARE: 0 + 1}
    # grid_b's household turns overdue on the 12th, at 10:00.
    assert sweep((2026, 12, 12), CARE, hour=12) == {CARE: 2}
    assert recipients(CARE, day=datetime.date(2026, 12, 12)) == ["wgy_a", "wgy_b"]
    # Visited: no more reminders.
    Household.objects.filter(pk=w.lonely.pk).update(last_visited_at=moment(2026, 12, 12, 14))
    sweep((2026, 12, 13), CARE)
    assert recipients(CARE, day=datetime.date(2026, 12, 13)) == ["wgy_b"]


def test_care_overdue_catches_up_a_missed_day(care):
    with frozen(2026, 12, 20, 9):
        assert notifications.run_sweeps(datetime.date(2026, 12, 10), [CARE]) == {CARE: 1}
    assert sent(CARE).get().day == datetime.date(2026, 12, 10)


def test_care_overdue_skips_inactive_households_and_grids_without_workers(care):
    w = care
    Membership.objects.filter(user=w.worker_a).update(ended_on=datetime.date(2026, 12, 1))
    Household.objects.filter(pk=w.recent.pk).update(is_active=False)
    assert sweep((2026, 12, 20), CARE) == {CARE: 0}


# Cost --------------------------------------------------------------------------------------


def _grow(w, grids):
    community = make_unit(w.township_a, Unit.Kind.COMMUNITY)
    make_member(community, Role.COMMUNITY_SECRETARY)
    tag = CareTag.objects.get_or_create(district=w.district, name="独居老人", visit_every_days=7)[0]
    for _n in range(grids):
        grid = make_unit(community, Unit.Kind.GRID)
        make_member(grid, Role.GRID_WORKER)
        created = Household.objects.bulk_create(
            Household(grid=grid, room=str(n), head_name="钱多多") for n in range(4)
        )
        tag.households.add(created[0])


def _sweep_queries(day):
    # Measure a cold process each time: the sweep looks up its notifications' content types once
    # per process (ContentType's cache), which had made the first measurement 2 queries higher
    # on PostgreSQL depending on what ran before.
    ContentType.objects.clear_cache()
    with CaptureQueriesContext(connection) as queries:
        sweep(day)
    return len(queries)


def test_sweeps_cost_a_fixed_number_of_queries(care):
    w = care
    _grow(w, 1)
    before = _sweep_queries((2026, 12, 28))
    _grow(w, 12)
    Notification.objects.all().delete()
    after = _sweep_queries((2026, 12, 28))
    assert after == before
    assert sent(ROUND_ENDING).count() == 2 + 13
