"""Economy reminders: milestones and measures due and overdue, once per subject, kind and day."""

import datetime
from decimal import Decimal

import pytest

from economy import reminders, services
from economy.models import MeasureStatus
from economy.tests.conftest import YEAR
from governance import notifications
from governance.models import Notification
from governance.testing import frozen

pytestmark = pytest.mark.django_db

KINDS = [k.name for k in reminders.KINDS]


def sweep(day: datetime.date):
    with frozen(day, 9):
        return notifications.run_sweeps(day, kinds=KINDS)


def sent(kind, **filters):
    return Notification.objects.filter(kind=f"economy.{kind}", **filters)


def test_due_then_overdue_once_a_day(due):
    counts = sweep(datetime.date(YEAR, 6, 8))  # due within 3 days (8, 9, 10)
    assert counts["economy.milestone_due"] == 1
    assert sent("milestone_due").get().recipient == due.staff_a
    assert counts["economy.measure_due"] == 0  # the 12th is four days away
    # The same day again: nothing new.
    assert sum(sweep(datetime.date(YEAR, 6, 8)).values()) == 0
    assert sweep(datetime.date(YEAR, 6, 10))["economy.measure_due"] == 2
    assert {n.recipient for n in sent("measure_due")} == {due.staff_a, due.secretary_a}
    counts = sweep(datetime.date(YEAR, 6, 11))
    assert counts["economy.milestone_overdue"] == 1
    # Catch-up after a gap: the sweep of the 20th still finds both overdue.
    counts = sweep(datetime.date(YEAR, 6, 20))
    assert counts["economy.milestone_overdue"] == 1
    assert counts["economy.measure_overdue"] == 2
    assert sent("milestone_overdue").count() == 2  # the 11th and the 20th


def test_nothing_once_done(due):
    services.milestone_record(actor=None, milestone=due.milestone, progress=Decimal(100))
    services.measure_set_status(actor=None, measure=due.measure, status=MeasureStatus.DONE)
    assert sum(sweep(datetime.date(YEAR, 6, 20)).values()) == 0


def test_suspended_projects_and_other_townships_are_quiet(due):
    services.project_set_status(actor=None, project=due.project_a, status="suspended")
    services.milestone_add(
        actor=None, project=due.project_b, name="并网", due_on=datetime.date(YEAR, 6, 1)
    )
    sweep(datetime.date(YEAR, 6, 20))
    assert {n.recipient for n in sent("milestone_overdue")} == {due.staff_b}


def test_sweep_queries_are_fixed(due, django_assert_max_num_queries):
    for i in range(20):
        services.milestone_add(
            actor=None, project=due.project_a, name=f"m{i}", due_on=datetime.date(YEAR, 6, 1)
        )
        services.measure_create(
            actor=None,
            village=due.village_a,
            title=f"t{i}",
            owner_name="x",
            deadline=datetime.date(YEAR, 6, 1),
        )
    day = datetime.date(YEAR, 6, 20)
    for kind in reminders.KINDS:
        with django_assert_max_num_queries(2):
            list(kind.sweep(day))
