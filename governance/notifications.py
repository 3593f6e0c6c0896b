"""The one notification and reminder mechanism.

Sweeps (one per registered ReminderKind) compute what is due from the rows; `deliver` claims
each reminder by inserting it under the unique constraint (recipient, kind, subject, day).
Rows this run inserted carry its claim token; rows another run already inserted keep theirs,
so the caller learns exactly which reminders it won, even with two workers or two beats.

Steps that give someone work (an item handed to a department, resolved and awaiting
verification, …) do not wait for a sweep: their services call `notify` inside their own
transaction, under the same claim, so a step rolled back tells nobody and a step repeated the
same day tells each recipient once. The mail goes out as soon as the transaction commits.
"""

import logging
import uuid
from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from governance.models import Notification
from governance.registry import Reminder, registry

log = logging.getLogger(__name__)


def deliver(kind: str, day: date, reminders: list[Reminder]) -> list[Notification]:
    """Insert the reminders not yet sent today; return the ones this call sent."""
    if not reminders:
        return []
    token = uuid.uuid4()
    types = ContentType.objects.get_for_models(*{r.subject_type for r in reminders})
    rows = [
        Notification(
            recipient_id=r.recipient_id,
            kind=kind,
            subject_type=types[r.subject_type],
            subject_id=r.subject_id,
            day=day,
            title=r.title[:200],
            body=r.body,
            url=r.url,
            claim=token,
        )
        for r in reminders
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return list(Notification.objects.filter(claim=token))


def notify(kind: str, reminders: list[Reminder]) -> list[Notification]:
    """Tell people now, in the caller's transaction: at most once per recipient, kind, subject
    and day. The mail task is queued when the transaction commits; the periodic mail task
    catches up on whatever that could not send."""
    won = deliver(kind, timezone.localdate(), reminders)
    if won and settings.SHANZHI_MAIL_ENABLED:
        transaction.on_commit(_queue_mail)
    return won


def _queue_mail() -> None:
    from governance.tasks import send_pending_notification_mail  # tasks imports this module

    try:
        # No retries: a step must never wait for a broker that is down.
        send_pending_notification_mail.apply_async(retry=False)
    except Exception:  # the broker is unreachable: the periodic task sends it later
        log.warning("Could not queue the notification mail; the periodic task will send it.")


def run_sweeps(today: date | None = None, kinds: list[str] | None = None) -> dict[str, int]:
    """Run every registered sweep for `today`; return how many reminders each one sent."""
    today = today or timezone.localdate()
    sent: dict[str, int] = {}
    for name, kind in sorted(registry.reminder_kinds.items()):
        if kinds is not None and name not in kinds:
            continue
        with transaction.atomic():
            won = deliver(name, today, list(kind.sweep(today)))
        sent[name] = len(won)
    return sent


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())


def _mail_text(notification: Notification) -> str:
    """The body, and the link to what it is about (absolute when the site's address is set)."""
    text = notification.body or notification.title
    if notification.url:
        base = settings.SHANZHI_PUBLIC_BASE_URL.rstrip("/")
        text += "\n\n" + base + notification.url
    return text


def send_pending_mail(limit: int = 500) -> int:
    """E-mail unmailed notifications to recipients with an address, when mail is configured.

    Each row is claimed with a conditional update before it is sent, so two workers never
    send the same mail twice.
    """
    if not settings.SHANZHI_MAIL_ENABLED:
        return 0
    sent = 0
    # Only recent messages: switching mail on must not flood people with old reminders.
    since = timezone.now() - timedelta(days=2)
    pending = (
        Notification.objects.filter(mailed_at__isnull=True, created_at__gte=since)
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("created_at")[:limit]
    )
    for notification in pending:
        claimed = Notification.objects.filter(pk=notification.pk, mailed_at__isnull=True).update(
            mailed_at=timezone.now()
        )
        if not claimed:
            continue
        try:
            send_mail(
                subject=f"[善治] {notification.title}",
                message=_mail_text(notification),
                from_email=None,
                recipient_list=[notification.recipient.email],
            )
            sent += 1
        except OSError:
            log.exception("Mail for notification %s failed; it will be retried.", notification.pk)
            Notification.objects.filter(pk=notification.pk).update(mailed_at=None)
    return sent
