import datetime

import pytest

from governance.models import Notification, Role
from governance.notifications import run_sweeps
from governance.testing import frozen, moment
from governance.tests.factories import make_member
from venues.reminders import week_preview
from venues.services import activities as services
from venues.tests.factories import make_activity

pytestmark = pytest.mark.django_db
KIND = "venues.week_preview"


def _sent(day):
    return run_sweeps(day, kinds=[KIND])[KIND]


def test_from_thursday_staff_are_reminded_daily_until_published(aworld):
    cadre = make_member(aworld.community_a, Role.VILLAGE_CADRE, "cadre_a")
    with frozen(2026, 9, 2, 10):
        make_activity(aworld.venue_a, starts=moment(2026, 9, 12, 9))
        make_activity(aworld.venue_a, starts=moment(2026, 9, 8, 9), code="course")
    wednesday, thursday, friday = (datetime.date(2026, 9, d) for d in (2, 3, 4))
    assert list(week_preview(wednesday)) == []
    reminders = list(week_preview(thursday))
    # Staff at each unit with a venue: 花园社区 (secretary, cadre), 牛泉村 (secretary); 鹏泉社区
    # has nobody at the unit itself, and township staff are not "staff of the unit".
    assert {(r.recipient_id, r.subject_id) for r in reminders} == {
        (aworld.secretary_a.pk, aworld.community_a.pk),
        (cadre.pk, aworld.community_a.pk),
        (aworld.secretary_b.pk, aworld.community_b.pk),
    }
    garden = next(r for r in reminders if r.recipient_id == aworld.secretary_a.pk)
    assert "09-07" in garden.title and "2" in garden.body
    assert garden.url.endswith("?week=2026-09-07")

    assert _sent(thursday) == 3
    assert _sent(thursday) == 0  # once a day
    services.week_publish(
        unit=aworld.community_a,
        week_start=datetime.date(2026, 9, 7),
        actor=aworld.secretary_a,
        now=moment(2026, 9, 3, 12),
    )
    assert _sent(friday) == 1  # only 牛泉村 is still a draft
    assert set(
        Notification.objects.filter(kind=KIND, day=friday).values_list("recipient_id", flat=True)
    ) == {aworld.secretary_b.pk}


def test_a_sweep_that_was_down_catches_up(aworld):
    # Nothing ran on Thursday or Friday; Saturday's run still reminds, for next week.
    saturday = datetime.date(2026, 9, 5)
    assert _sent(saturday) == 2
    assert Notification.objects.filter(
        kind=KIND, day=saturday, recipient=aworld.secretary_a
    ).exists()
    # The next Monday the new week starts: no reminder until Thursday.
    assert _sent(datetime.date(2026, 9, 7)) == 0


def test_inactive_accounts_and_venues_are_left_out(aworld):
    aworld.secretary_b.is_active = False
    aworld.secretary_b.save()
    aworld.venue_a.is_active = False
    aworld.venue_a.save()
    assert list(week_preview(datetime.date(2026, 9, 3))) == []
