import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance.models import LedgerKind, Source
from governance.testing import frozen
from outreach.models import DutyContact
from outreach.services.contacts import CONTACT_LEDGER_NAME, activity_items, may_file
from outreach.services.duties import duty_assign
from outreach.tests.fixtures import START, talk

pytestmark = pytest.mark.django_db


def test_a_talk_raising_a_problem_goes_to_the_ledger_and_counts_for_the_duty(duty_world):
    w = duty_world
    with frozen(2026, 3, 10, 10):
        activity, items = talk(
            w,
            w.staff_a,
            w.community_a,
            datetime.date(2026, 3, 10),
            problems=["3号楼路灯不亮", "", "小区门口积水"],
        )
    assert [i.title for i in items] == ["3号楼路灯不亮", "小区门口积水"]
    assert {i.ledger.name for i in items} == {CONTACT_LEDGER_NAME}
    assert items[0].ledger.unit == w.community_a and items[0].ledger.kind == LedgerKind.GENERAL
    assert all(i.source == Source.CONTACT_ACTIVITY and i.source_record == activity for i in items)
    assert set(activity_items(activity)) == set(items)
    # Counted for staff A's village duty, and for the district leader's? No: not present.
    assert set(DutyContact.objects.filter(activity=activity).values_list("duty", flat=True)) == {
        w.staff_duty.pk
    }


def test_an_activity_counts_for_every_present_holder_whose_target_it_covers(duty_world):
    w = duty_world
    zone_duty = duty_assign(
        holder=w.staff_a.person, actor=w.staff_a, starts_on=START, target_zone=w.zone_a
    )
    with frozen(2026, 3, 10, 10):
        activity, _ = talk(
            w,
            w.staff_a,
            w.community_a,
            datetime.date(2026, 3, 10),
            attendees=[w.leader.person, w.secretary_a.person],
            households=[w.house_1],
        )
    counted = set(DutyContact.objects.filter(activity=activity).values_list("duty", flat=True))
    assert counted == {w.staff_duty.pk, zone_duty.pk, w.leader_duty.pk, w.household_duty.pk}


def test_nothing_is_saved_when_a_problem_cannot_be_registered(duty_world):
    w = duty_world
    with frozen(2026, 3, 10, 10), pytest.raises(ValidationError):
        talk(w, w.staff_a, w.community_a, datetime.date(2026, 3, 10), problems=["x" * 201])
    assert not DutyContact.objects.exists()
    assert not w.community_a.contact_activities.exists()


def test_activity_refusals(duty_world):
    w = duty_world
    with frozen(2026, 3, 10, 10):
        with pytest.raises(ValidationError):
            talk(w, w.staff_a, w.community_a, datetime.date(2026, 3, 11))  # the future
        with pytest.raises(ValidationError):
            talk(w, w.staff_a, w.community_a, datetime.date(2026, 3, 9), summary=" ")
        with pytest.raises(PermissionDenied):
            talk(w, w.staff_a, w.community_b, datetime.date(2026, 3, 9))  # outside
        with pytest.raises(ValidationError):
            talk(w, w.staff_a, w.community_a, datetime.date(2026, 3, 9), households=[w.house_b])


def test_a_duty_holder_without_a_filing_role_files_over_what_they_cover(duty_world):
    w = duty_world
    assert not may_file(w.leader, w.community_b)
    with frozen(2026, 3, 10, 10):
        assert may_file(w.leader, w.community_a)
        activity, items = talk(
            w, w.leader, w.community_a, datetime.date(2026, 3, 10), problems=["养老助餐点太远"]
        )
    assert items[0].created_by == w.leader
    assert DutyContact.objects.filter(activity=activity, duty=w.leader_duty).exists()
