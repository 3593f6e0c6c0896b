"""Reminder kinds of the venues app (registered by venues/apps.py).

Each sweep finds what is due from the rows themselves for the day it runs for; delivery claims
each reminder under governance.notifications' unique (recipient, kind, subject, day), so at
most one per subject, kind and day, and a sweep that did not run catches up the next time.

Kinds
- venues.request_waiting: a service request still "received" after WAITING_WORKDAYS working
  days (counted on the holiday calendar from the day it was received): the staff of the
  venue's unit who handle items are told. Subject: the request.
- venues.request_relayed: a request relayed to a department and not done or returned after
  RELAYED_WORKDAYS working days: the department's handlers and the venue's unit staff are told.
  Subject: the request.
- venues.week_preview: from Thursday (REMIND_FROM_WEEKDAY) to Sunday, every day until it is
  published, the staff (governance.recipients.staff_of) of each unit holding an active venue
  (communities and villages, or a township for its own centre) are told to check and publish
  next week's activity preview, with the number of activities it holds. Subject: the unit.

Cost: requests: one query for the requests (status and date indexed), one for the recipients,
and the calendar's one query per year touched; the week preview: four queries whatever the
number of units (units with venues, published previews, activity counts per unit, recipients).
"""

import datetime
from collections.abc import Iterator

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from governance import workdays
from governance.models import Unit
from governance.recipients import staff_of
from governance.registry import Reminder, ReminderKind
from venues.models import (
    Activity,
    RequestStatus,
    ServiceRequest,
    Venue,
    WeekPreview,
    WeekStatus,
)
from venues.services.activities import week_of

# Service requests -------------------------------------------------------------------------

WAITING_WORKDAYS = 2
RELAYED_WORKDAYS = 5


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _due(today, status: str, field: str, limit: int):
    """Requests in `status` whose `field` date lies `limit` working days or more before today."""
    # Working days are never fewer than calendar days, so the calendar bound only narrows.
    latest = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=limit - 1), datetime.time())
    )
    rows = list(
        ServiceRequest.objects.filter(status=status, **{f"{field}__lt": latest})
        .select_related("venue", "matter")
        .only("pk", field, "venue__unit_id", "venue__name", "matter__name", "relayed_to_id")
        .order_by("pk")
    )
    calendar = workdays.WorkCalendar()
    return [
        r
        for r in rows
        if workdays.workdays_between(_local_day(getattr(r, field)), today, calendar=calendar)
        >= limit
    ]


def sweep_waiting(today: datetime.date):
    rows = _due(today, RequestStatus.RECEIVED, "received_at", WAITING_WORKDAYS)
    staff = staff_of(today, {r.venue.unit_id for r in rows})
    for r in rows:
        for user in staff.get(r.venue.unit_id, ()):
            yield Reminder.about(
                recipient_id=user,
                subject=r,
                title=_("Request waiting at %(venue)s: %(matter)s")
                % {"venue": r.venue.name, "matter": r.matter.name},
                body=_("Received on %(day)s and not yet handled, relayed or returned.")
                % {"day": _local_day(r.received_at).isoformat()},
                url=r.get_absolute_url(),
            )


def sweep_relayed(today: datetime.date):
    rows = _due(today, RequestStatus.RELAYED, "relayed_at", RELAYED_WORKDAYS)
    staff = staff_of(today, {r.venue.unit_id for r in rows} | {r.relayed_to_id for r in rows})
    for r in rows:
        recipients = set(staff.get(r.relayed_to_id, ())) | set(staff.get(r.venue.unit_id, ()))
        for user in sorted(recipients):
            yield Reminder.about(
                recipient_id=user,
                subject=r,
                title=_("Relayed request without an answer: %(matter)s")
                % {"matter": r.matter.name},
                body=_("Relayed on %(day)s from %(venue)s; mark it done or return it.")
                % {"day": _local_day(r.relayed_at).isoformat(), "venue": r.venue.name},
                url=r.get_absolute_url(),
            )


# The weekly preview -----------------------------------------------------------------------

#: Thursday (Monday = 0): reminders run from this day to the end of the week.
REMIND_FROM_WEEKDAY = 3


def week_preview(today: datetime.date) -> Iterator[Reminder]:
    if today.weekday() < REMIND_FROM_WEEKDAY:
        return
    week = week_of(today) + datetime.timedelta(days=7)
    unit_ids = set(
        Venue.objects.filter(is_active=True, unit__is_active=True).values_list("unit_id", flat=True)
    )
    unit_ids -= set(
        WeekPreview.objects.filter(
            week_start=week, status=WeekStatus.PUBLISHED, unit_id__in=unit_ids
        ).values_list("unit_id", flat=True)
    )
    if not unit_ids:
        return
    counts = dict(
        Activity.objects.filter(week_start=week, unit_id__in=unit_ids)
        .held()
        .values_list("unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    staff = staff_of(today, unit_ids)
    last = week + datetime.timedelta(days=6)
    for unit_id in sorted(staff):
        count = counts.get(unit_id, 0)
        values = {"first": week.strftime("%m-%d"), "last": last.strftime("%m-%d"), "count": count}
        title = _("Check and publish next week's activity preview (%(first)s to %(last)s)") % values
        body = (
            ngettext(
                "Next week's preview holds %(count)d activity; residents see it once published.",
                "Next week's preview holds %(count)d activities; residents see it once published.",
                count,
            )
            % values
        )
        url = reverse("venues:week-preview", args=[unit_id]) + f"?week={week.isoformat()}"
        for user in staff[unit_id]:
            yield Reminder(user, Unit, unit_id, title, body, url)


KINDS = [
    ReminderKind("venues.request_waiting", gettext_lazy("Service request waiting"), sweep_waiting),
    ReminderKind(
        "venues.request_relayed", gettext_lazy("Relayed service request unanswered"), sweep_relayed
    ),
    ReminderKind(
        "venues.week_preview", gettext_lazy("Weekly activity preview to publish"), week_preview
    ),
]
