import datetime

import pytest

from governance.models import Notification
from governance.notifications import run_sweeps
from governance.testing import frozen
from outreach.services.contacts import activity_file

pytestmark = pytest.mark.django_db

KINDS = ["outreach.duty_behind", "outreach.duty_overdue"]


def _sweep(day):
    with frozen(day.year, day.month, day.day, 10):
        return run_sweeps(day, kinds=KINDS)


def _sent(kind, user=None):
    qs = Notification.objects.filter(kind=kind)
    return qs.filter(recipient=user) if user is not None else qs


def test_holders_behind_are_reminded_once_a_day(duty_world):
    w = duty_world
    with frozen(2026, 1, 25, 10):
        activity_file(
            actor=w.staff_a, system="talk", unit=w.community_a, leader=w.staff_a.person,
            held_on=datetime.date(2026, 1, 25), summary="谈心",
        )  # fmt: skip
    # February 10th: a third of the month gone, nobody behind yet (January was the first
    # whole month for the leader, and it had no contact: overdue).
    day = datetime.date(2026, 2, 10)
    _sweep(day)
    assert not _sent("outreach.duty_behind", w.staff_a).exists()
    assert _sent("outreach.duty_behind", w.leader).count() == 1
    _sweep(day)  # a second beat the same day sends nothing new
    assert _sent("outreach.duty_behind", w.leader).count() == 1
    # Two thirds into February without a contact, staff A is behind too.
    _sweep(datetime.date(2026, 2, 20))
    assert _sent("outreach.duty_behind", w.staff_a).count() == 1
    # A contact turns the duty to done: no more reminders.
    with frozen(2026, 2, 21, 10):
        activity_file(
            actor=w.staff_a, system="talk", unit=w.community_a, leader=w.staff_a.person,
            held_on=datetime.date(2026, 2, 21), summary="谈心",
        )  # fmt: skip
    _sweep(datetime.date(2026, 2, 22))
    assert _sent("outreach.duty_behind", w.staff_a).count() == 1


def test_superiors_are_told_once_a_duty_is_overdue(duty_world):
    w = duty_world
    sent = _sweep(datetime.date(2026, 2, 3))  # January ended without contacts
    assert sent["outreach.duty_overdue"] >= 1
    # The village cadre's superiors: township A's staff; the township official's: the
    # district's admin and leader; the district leader's: the district itself.
    township_note = _sent("outreach.duty_overdue", w.staff_a).get()
    assert "shuji_a" in township_note.title
    assert _sent("outreach.duty_overdue", w.district_admin).count() == 3  # A, B, district
    assert not _sent("outreach.duty_overdue", w.staff_b).filter(title__contains="shuji_a").exists()
    assert not _sent("outreach.duty_overdue", w.other_admin).exists()


def test_catch_up_after_a_gap(duty_world):
    w = duty_world
    _sweep(datetime.date(2026, 2, 3))
    # The beat was down from the 4th to the 11th: the next run still finds the duties behind.
    _sweep(datetime.date(2026, 2, 12))
    days = set(_sent("outreach.duty_behind", w.leader).values_list("day", flat=True))
    assert days == {datetime.date(2026, 2, 3), datetime.date(2026, 2, 12)}
