import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance.models import WorkZone
from governance.testing import frozen
from governance.tests.factories import make_person
from outreach.figures.duties import DutyStatus, duty_rows, period_of
from outreach.models import DutyPolicy, DutyTier, Frequency, LiaisonDuty
from outreach.services.duties import duty_assign, duty_history, duty_reassign
from outreach.tests.fixtures import START, talk

pytestmark = pytest.mark.django_db


def _status(duty, today):
    rows = duty_rows(LiaisonDuty.objects.filter(pk=duty.pk).select_related("scope_unit"), today)
    return rows[0]


# Tier validation


def test_village_cadre_cannot_be_assigned_a_township(duty_world):
    w = duty_world
    with pytest.raises(ValidationError, match="包联花园社区的住户"):
        duty_assign(
            holder=w.secretary_a.person,
            actor=w.district_admin,
            starts_on=START,
            target_unit=w.township_a,
        )


@pytest.mark.parametrize(
    "holder, target",
    [
        ("leader", "community_a"),  # a district leader covers townships, not villages
        ("staff_a", "township_a"),  # a township official covers villages, not townships
        ("staff_a", "community_b"),  # … of their own township
        ("leader", "other_township"),  # … of their own district
    ],
)
def test_tiers_refuse_targets_of_another_level(duty_world, holder, target):
    w = duty_world
    with pytest.raises(ValidationError):
        duty_assign(
            holder=getattr(w, holder).person,
            actor=w.district_admin,
            starts_on=START,
            target_unit=getattr(w, target),
        )


def test_tier_is_inferred_and_scope_unit_is_what_is_covered(duty_world):
    w = duty_world
    zone_duty = duty_assign(
        holder=w.staff_a.person, actor=w.staff_a, starts_on=START, target_zone=w.zone_a
    )
    assert (zone_duty.tier, zone_duty.scope_unit) == (DutyTier.WORK_ZONE, w.township_a)
    assert (w.leader_duty.tier, w.leader_duty.scope_unit) == (DutyTier.TOWNSHIP, w.township_a)
    assert (w.staff_duty.tier, w.staff_duty.scope_unit) == (DutyTier.VILLAGE, w.community_a)
    assert w.household_duty.tier == DutyTier.HOUSEHOLDS
    assert w.household_duty.scope_unit == w.community_a
    other_zone = WorkZone.objects.create(township=w.township_b, name="牛泉工作区")
    with pytest.raises(ValidationError):
        duty_assign(
            holder=w.staff_a.person, actor=w.staff_a, starts_on=START, target_zone=other_zone
        )


def test_cadre_covers_only_households_of_their_own_village(duty_world):
    w = duty_world
    with pytest.raises(ValidationError):
        duty_assign(
            holder=make_person(w.community_a, "周六"),
            actor=w.secretary_a,
            starts_on=START,
            households=[w.house_1, w.house_b],
        )


def test_only_staff_managing_the_holders_unit_assign(duty_world):
    w = duty_world
    with pytest.raises(PermissionDenied):
        duty_assign(
            holder=w.leader.person, actor=w.staff_a, starts_on=START, target_unit=w.township_a
        )
    with pytest.raises(PermissionDenied):
        duty_assign(
            holder=make_person(w.township_b, "吴七"),
            actor=w.staff_a,
            starts_on=START,
            target_unit=w.community_b,
        )


def test_the_same_open_duty_twice_is_refused(duty_world):
    w = duty_world
    with pytest.raises(ValidationError, match="已承担这项包联责任"):
        duty_assign(
            holder=w.staff_a.person, actor=w.staff_a, starts_on=START, target_unit=w.community_a
        )


# Reassignment keeps the history


def test_reassign_ends_the_old_duty_the_day_before_and_keeps_history(duty_world):
    w = duty_world
    newcomer = make_person(w.township_a, "郑八")
    new = duty_reassign(
        duty=w.staff_duty, holder=newcomer, actor=w.staff_a, starts_on=datetime.date(2026, 3, 1)
    )
    w.staff_duty.refresh_from_db()
    assert w.staff_duty.ends_on == datetime.date(2026, 2, 28)
    assert (new.holder, new.target_unit, new.previous) == (newcomer, w.community_a, w.staff_duty)
    assert duty_history(new) == duty_history(w.staff_duty) == [w.staff_duty, new]
    with pytest.raises(ValidationError):
        duty_reassign(
            duty=w.staff_duty, holder=newcomer, actor=w.staff_a, starts_on=datetime.date(2026, 4, 1)
        )


def test_reassigned_household_duty_keeps_its_households(duty_world):
    w = duty_world
    new = duty_reassign(
        duty=w.household_duty,
        holder=make_person(w.community_a, "冯九"),
        actor=w.secretary_a,
        starts_on=datetime.date(2026, 2, 1),
    )
    assert set(new.households.all()) == {w.house_1, w.house_2}


# Status over period boundaries


def test_periods_are_calendar_weeks_months_and_quarters():
    day = datetime.date(2026, 5, 20)  # a Wednesday
    assert period_of(Frequency.WEEKLY, day).start == datetime.date(2026, 5, 18)
    assert period_of(Frequency.MONTHLY, day).end == datetime.date(2026, 6, 1)
    quarter = period_of(Frequency.QUARTERLY, datetime.date(2026, 12, 31))
    assert (quarter.start, quarter.end) == (datetime.date(2026, 10, 1), datetime.date(2027, 1, 1))


def test_status_due_done_then_due_again_in_the_next_month(duty_world):
    w = duty_world
    duty = w.staff_duty
    with frozen(2026, 3, 5, 10):
        assert _status(duty, datetime.date(2026, 3, 5)).status == DutyStatus.BEHIND  # Feb missed
    with frozen(2026, 3, 6, 10):
        talk(w, w.staff_a, w.community_a, datetime.date(2026, 3, 6))
    row = _status(duty, datetime.date(2026, 3, 31))
    assert (row.status, row.contacts) == (DutyStatus.DONE, 1)
    # April 1st: a new period; March had a contact, so the duty is only due.
    row = _status(duty, datetime.date(2026, 4, 1))
    assert (row.status, row.contacts, row.previous_contacts) == (DutyStatus.DUE, 0, 1)
    # Two thirds into April without a contact: behind, but not overdue.
    row = _status(duty, datetime.date(2026, 4, 20))
    assert (row.status, row.overdue) == (DutyStatus.BEHIND, False)
    # May 1st: April ended without a contact: overdue.
    row = _status(duty, datetime.date(2026, 5, 1))
    assert (row.status, row.overdue) == (DutyStatus.BEHIND, True)


def test_a_duty_started_mid_period_is_due_not_behind(duty_world):
    w = duty_world
    duty = duty_assign(
        holder=w.staff_a.person,
        actor=w.staff_a,
        starts_on=datetime.date(2026, 4, 25),
        target_unit=w.community_a2,
    )
    assert _status(duty, datetime.date(2026, 4, 26)).status == DutyStatus.DUE
    # May: April was not a whole period of the duty, so nothing was missed yet.
    row = _status(duty, datetime.date(2026, 5, 2))
    assert (row.status, row.overdue) == (DutyStatus.DUE, False)


def test_frequency_follows_the_district_policy_unless_the_duty_sets_one(duty_world):
    w = duty_world
    DutyPolicy.objects.create(district=w.district, tier=DutyTier.VILLAGE, frequency="quarterly")
    with frozen(2026, 2, 10, 10):
        talk(w, w.staff_a, w.community_a, datetime.date(2026, 2, 10))
    row = _status(w.staff_duty, datetime.date(2026, 3, 20))
    assert (row.frequency, row.status) == (Frequency.QUARTERLY, DutyStatus.DONE)
    LiaisonDuty.objects.filter(pk=w.staff_duty.pk).update(frequency=Frequency.WEEKLY)
    w.staff_duty.refresh_from_db()
    assert _status(w.staff_duty, datetime.date(2026, 3, 20)).status == DutyStatus.BEHIND


def test_status_of_many_duties_costs_a_fixed_number_of_queries(
    duty_world, django_assert_max_num_queries
):
    w = duty_world
    for i in range(12):
        duty_assign(
            holder=make_person(w.township_a, f"干部{i}"),
            actor=w.staff_a,
            starts_on=START,
            target_unit=w.community_a2,
        )
    with django_assert_max_num_queries(3):
        rows = duty_rows(
            LiaisonDuty.objects.current(datetime.date(2026, 3, 1)).select_related("scope_unit"),
            datetime.date(2026, 3, 1),
        )
    assert len(rows) == 16


# Activities → duties and ledger
