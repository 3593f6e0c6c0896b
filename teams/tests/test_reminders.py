"""Reminders through governance.notifications: once per subject, kind and day; catch-up."""

import datetime

import pytest

from governance.models import Notification
from governance.notifications import run_sweeps
from governance.tests.factories import make_person
from teams.services.assessments import scores_save
from teams.services.reserve import reserve_add
from teams.services.secondments import secondment_save
from teams.tests.builders import sheet_row

pytestmark = pytest.mark.django_db
KINDS = ["teams.reserve_shortfall", "teams.scores_due", "teams.secondment_overdue"]


def _sent(kind, **filters):
    return Notification.objects.filter(kind=kind, **filters)


def test_reserve_shortfall_goes_to_township_staff_weekly(world):
    for i in range(3):
        reserve_add(
            actor=world.district_admin,
            village=world.community_a,
            person=make_person(world.community_a, f"后备{i}"),
            education="bachelor",
            source="graduate",
            added_on=datetime.date(2026, 1, 1),
        )
    day = datetime.date(2026, 6, 1)
    assert run_sweeps(day, KINDS[:1]) == {"teams.reserve_shortfall": 2}
    staff_a = _sent("teams.reserve_shortfall", recipient=world.staff_a).get()
    assert "鹏泉社区" in staff_a.body and "花园社区" not in staff_a.body
    assert _sent("teams.reserve_shortfall", recipient=world.staff_b).exists()
    # Twice on the same day, or on the following days of the week: nothing more.
    assert run_sweeps(day, KINDS[:1]) == {"teams.reserve_shortfall": 0}
    assert run_sweeps(day + datetime.timedelta(days=3), KINDS[:1]) == {"teams.reserve_shortfall": 0}
    # A week later (or the first run after a gap), again.
    assert run_sweeps(day + datetime.timedelta(days=9), KINDS[:1]) == {"teams.reserve_shortfall": 2}


def test_scores_due_until_the_due_day(teams_world):
    w = teams_world
    # Community A's workers scored for May; A2's and B's not.
    scores_save(
        community=w.community_a,
        month=datetime.date(2026, 5, 1),
        rows=[sheet_row(x, 50, 30) for x in w.workers_a],
        actor=w.staff_a,
        today=datetime.date(2026, 6, 1),
    )
    sent = run_sweeps(datetime.date(2026, 6, 3), KINDS[1:2])
    assert sent == {"teams.scores_due": 2}
    note = _sent("teams.scores_due", recipient=w.staff_a).get()
    assert "鹏泉社区" in note.body and "花园社区" not in note.body
    assert run_sweeps(datetime.date(2026, 6, 3), KINDS[1:2]) == {"teams.scores_due": 0}
    # Catch-up: the beat was down from the 4th to the 9th; the 10th (due day) still reminds.
    assert run_sweeps(datetime.date(2026, 6, 10), KINDS[1:2]) == {"teams.scores_due": 2}
    assert run_sweeps(datetime.date(2026, 6, 11), KINDS[1:2]) == {"teams.scores_due": 0}


def test_overdue_secondments_remind_daily(teams_world):
    w = teams_world
    secondment = secondment_save(
        actor=w.district_admin,
        worker=w.workers_a[0],
        to_office="区信访局",
        started_on=datetime.date(2026, 1, 1),
        planned_end_on=datetime.date(2026, 3, 31),
        approval_document="莱组〔2026〕1号",
        approved_on=datetime.date(2026, 1, 1),
    )
    assert run_sweeps(datetime.date(2026, 3, 31), KINDS[2:]) == {"teams.secondment_overdue": 0}
    assert run_sweeps(datetime.date(2026, 4, 1), KINDS[2:]) == {"teams.secondment_overdue": 1}
    assert run_sweeps(datetime.date(2026, 4, 1), KINDS[2:]) == {"teams.secondment_overdue": 0}
    note = _sent("teams.secondment_overdue").get()
    assert note.recipient == w.staff_a and "张敏" in note.title
    assert run_sweeps(datetime.date(2026, 4, 2), KINDS[2:]) == {"teams.secondment_overdue": 1}
    secondment_save(
        actor=w.district_admin, secondment=secondment, returned_on=datetime.date(2026, 4, 2)
    )
    assert run_sweeps(datetime.date(2026, 4, 3), KINDS[2:]) == {"teams.secondment_overdue": 0}
