import asyncio
import datetime
import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.db import connection
from django.urls import reverse

from governance import notifications, services
from governance.models import Membership, Notification, Role
from governance.registry import Reminder, ReminderKind, registry
from governance.reminders import MEMBERSHIP_ENDING
from governance.tests.factories import make_member

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 10, 9)


def _reminders(world):
    return [
        Reminder.about(world.staff_a.pk, world.community_a, "社区待办"),
        Reminder.about(world.staff_b.pk, world.community_b, "村待办"),
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


class Mailbox:
    """An aiosmtpd handler that keeps what it accepts; refuses the next `refuse` messages with
    a temporary error; holds the first message until `release` is set, when `hold` is on."""

    def __init__(self):
        self.received: list[tuple[str, ...]] = []
        self.refuse = 0
        self.hold = False
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        if self.hold:
            self.hold = False
            self.holding.set()
            # Wait without blocking the server's loop: other connections go on meanwhile.
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 10)
        self.received.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1, and the settings that send mail to it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 10
    settings.SHANZHI_MAIL_ENABLED = True
    yield mailbox
    mailbox.release.set()
    controller.stop()


def _addressed(world, count: int) -> list:
    """`count` colleagues with an address, each with one unmailed notification."""
    more = [
        make_member(world.township_a, Role.TOWNSHIP_STAFF, f"staff_{n}") for n in range(2, count)
    ]
    users = [world.staff_a, world.staff_b, *more][:count]
    for n, user in enumerate(users):
        user.email = f"staff{n}@example.org"
        user.save()
    reminders = [Reminder.about(u.pk, world.community_a, "待办") for u in users]
    notifications.deliver("test.kind", DAY, reminders)
    return users


def test_a_failed_mail_is_sent_again_on_the_next_run(world, smtp):
    (user,) = _addressed(world, 1)
    smtp.refuse = 1  # the server answers 451: try again later
    assert notifications.send_pending_mail() == 0
    assert smtp.received == []
    assert Notification.objects.get(recipient=user).mailed_at is None  # free for the retry
    assert notifications.send_pending_mail() == 1
    assert smtp.received == [user.email]
    assert Notification.objects.get(recipient=user).mailed_at is not None
    assert notifications.send_pending_mail() == 0
    assert smtp.received == [user.email]


@pytest.mark.django_db(transaction=True)
def test_two_overlapping_mail_runs_send_each_mail_once(world, smtp):
    """Run A reads the pending mails, claims the first and is held while sending it; run B
    starts and finishes meanwhile; then A goes on with the list it read before B."""
    users = _addressed(world, 4)
    smtp.hold = True
    sent_by_a = []

    def run_a():
        try:
            sent_by_a.append(notifications.send_pending_mail())
        finally:
            connection.close()

    a = threading.Thread(target=run_a)
    a.start()
    assert smtp.holding.wait(10)
    sent_by_b = notifications.send_pending_mail()
    smtp.release.set()
    a.join(10)
    assert not a.is_alive()
    assert sorted(smtp.received) == sorted(u.email for u in users)  # each exactly once
    assert (sent_by_a[0], sent_by_b) == (1, 3)
    assert not Notification.objects.filter(mailed_at__isnull=True).exists()
