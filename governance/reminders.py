"""The ground floor's own reminder kind (a role about to end: terms of office, secondments),
and the moment every sweep judges by."""

import datetime
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import Membership
from governance.registry import Reminder, ReminderKind

MEMBERSHIP_WARNING_DAYS = 7


def sweep_moment(today: datetime.date) -> datetime.datetime:
    """The instant a sweep for `today` judges by: now, or the end of `today` when the sweep is
    run for another day (a catch-up run, a test, the benchmark)."""
    now = timezone.now()
    if timezone.localdate(now) == today:
        return now
    return timezone.make_aware(
        datetime.datetime.combine(today + timedelta(days=1), datetime.time())
    ) - datetime.timedelta(microseconds=1)


def membership_ending(today: date):
    """Remind the holder each day of the last week before a role ends."""
    ending = (
        Membership.objects.filter(
            ended_on__gte=today, ended_on__lte=today + timedelta(days=MEMBERSHIP_WARNING_DAYS)
        )
        .select_related("unit")
        .order_by("pk")
    )
    for membership in ending:
        yield Reminder.about(
            recipient_id=membership.user_id,
            subject=membership,
            title=_("Your role “%(role)s” at %(unit)s ends on %(day)s")
            % {
                "role": membership.get_role_display(),
                "unit": membership.unit.name,
                "day": membership.ended_on.isoformat(),
            },
            url=reverse("governance:unit-detail", args=[membership.unit_id]),
        )


MEMBERSHIP_ENDING = ReminderKind(
    name="governance.membership_ending", label=_("Role about to end"), sweep=membership_ending
)
