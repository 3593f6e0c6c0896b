import datetime

import pytest
from django.core import mail
from django.urls import reverse

from governance import notifications, services
from governance.models import Membership, Notification
from governance.registry import Reminder, ReminderKind, registry
from governance.reminders import MEMBERSHIP_ENDING

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 10, 9)


def _reminders(world):
    return [
        Reminder(recipient_id=world.staff_a.pk, subject=world.community_a, title="社区待办"),
        Reminder(recipient_id=world.staff_b.pk, subject=world.community_b, title="村待办"),
    ]


def test_a_reminder_is_sent_once_per_day(world):
    first = notifications.deliver("test.kind", DAY, _reminders(world))
    second = notifications.deliver("test.kind", DAY, _reminders(world))
    assert len(first) == 2 and second == []
    assert Notification.objects.count() == 2
    next_day = notifications.deliver(
        "test.kind", DAY + datetime.timedelta(days=1), _reminders(world)
    )
    assert len(next_day) == 2


def test_two_overlapping_sweeps_split_the_work(world):
    """The second sweep sees one reminder already claimed and wins only the other."""
    notifications.deliver("test.kind", DAY, _reminders(world)[:1])
    won = notifications.deliver("test.kind", DAY, _reminders(world))
    assert [n.recipient_id for n in won] == [world.staff_b.pk]


def test_sweeps_find_what_is_due_and_catch_up(world):
    membership = Membership.objects.get(user=world.worker_a)
    services.membership_end(membership=membership, on=DAY + datetime.timedelta(days=3))
    # The worker was down on the first days of the warning week: the next run still finds it.
    sent = notifications.run_sweeps(DAY, kinds=[MEMBERSHIP_ENDING.name])
    assert sent == {MEMBERSHIP_ENDING.name: 1}
    assert notifications.run_sweeps(DAY, kinds=[MEMBERSHIP_ENDING.name]) == {
        MEMBERSHIP_ENDING.name: 0
    }
    note = Notification.objects.get(recipient=world.worker_a)
    assert "2026-10-12" in note.title
    assert notifications.run_sweeps(
        DAY + datetime.timedelta(days=10), kinds=[MEMBERSHIP_ENDING.name]
    ) == {MEMBERSHIP_ENDING.name: 0}


def test_registering_a_kind_twice_differently_is_an_error():
    kind = ReminderKind("governance.membership_ending", "x", lambda day: [])
    with pytest.raises(ValueError):
        registry.add_reminder_kind(kind)


def test_inbox_badge_and_read(client, world):
    notifications.deliver("test.kind", DAY, _reminders(world))
    client.force_login(world.staff_a)
    page = client.get(reverse("governance:home")).content.decode()
    assert 'data-testid="unread-count">1<' in page
    note = Notification.objects.get(recipient=world.staff_a)
    client.post(reverse("governance:notification-read", args=[note.pk]))
    assert Notification.objects.get(pk=note.pk).read_at is not None
    badge = client.get(reverse("governance:unread-badge")).content.decode()
    assert "unread-count" not in badge
    # Another user's notification is not ours to read.
    other = Notification.objects.get(recipient=world.staff_b)
    assert client.post(reverse("governance:notification-read", args=[other.pk])).status_code == 404


def test_mail_goes_out_once_when_configured(world, settings):
    world.staff_a.email = "staff@example.org"
    world.staff_a.save()
    notifications.deliver("test.kind", DAY, _reminders(world))
    settings.SHANZHI_MAIL_ENABLED = False
    assert notifications.send_pending_mail() == 0
    settings.SHANZHI_MAIL_ENABLED = True
    assert notifications.send_pending_mail() == 1  # staff_b has no address
    assert notifications.send_pending_mail() == 0
    assert len(mail.outbox) == 1 and "社区待办" in mail.outbox[0].subject
