"""Reminder kind of reception days (registered in outreach/apps.py).

Each sweep computes from the rows what is due on `today`; governance.notifications.deliver
claims every reminder under (recipient, kind, subject, day), so at most one per subject, kind
and day. A sweep that did not run (the beat was down) is caught up by the next one, because
what is due stays due until someone acts.

- outreach.reception_not_recorded: a community's reception day (its schedule valid that day,
  a working day on the official calendar — public holidays are skipped) whose end time has
  passed with no session recorded on that day or since. Checked for the last seven days, so
  the most recent reception day is chased each day until it is recorded (or the next one
  comes). Subject: the schedule. To: the secretary of the schedule and the staff of the
  community (current roles there that handle items).

Cost: a fixed number of queries (schedules, sessions, calendar years, staff).
"""

import datetime
from collections import defaultdict

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance import workdays
from governance.models import Person
from governance.recipients import staff_of
from governance.registry import Reminder, ReminderKind
from governance.reminders import sweep_moment
from outreach.models import ReceptionSchedule, ReceptionSession

LOOKBACK_DAYS = 7


def last_reception_day(schedule, today: datetime.date) -> datetime.date:
    """The latest day on or before `today` that falls on the schedule's weekday."""
    return today - datetime.timedelta(days=(today.weekday() - schedule.weekday) % 7)


def reception_not_recorded(today: datetime.date):
    moment = sweep_moment(today)
    first = today - datetime.timedelta(days=LOOKBACK_DAYS - 1)
    schedules = list(
        ReceptionSchedule.objects.filter(
            Q(valid_from__lte=today), Q(valid_until__isnull=True) | Q(valid_until__gt=first)
        )
        .select_related("community")
        .order_by("pk")
    )
    calendar = workdays.WorkCalendar()
    due = []
    for schedule in schedules:
        day = last_reception_day(schedule, today)
        valid = schedule.valid_from <= day and (
            schedule.valid_until is None or schedule.valid_until > day
        )
        if not valid or not calendar.is_workday(day):
            continue
        end = timezone.make_aware(datetime.datetime.combine(day, schedule.end_time))
        if end > moment:
            continue
        due.append((schedule, day))
    if not due:
        return
    recorded = defaultdict(list)
    for community, date in ReceptionSession.objects.filter(
        community__in=[s.community_id for s, _d in due], date__gte=first, date__lte=today
    ).values_list("community_id", "date"):
        recorded[community].append(date)
    due = [(s, d) for s, d in due if not any(r >= d for r in recorded[s.community_id])]
    if not due:
        return
    staff = staff_of(today, {s.community_id for s, _d in due})
    secretaries = dict(
        Person.objects.filter(
            pk__in=[s.secretary_id for s, _d in due if s.secretary_id], user__is_active=True
        ).values_list("pk", "user_id")
    )
    for schedule, day in due:
        recipients = set(staff[schedule.community_id])
        if secretaries.get(schedule.secretary_id):
            recipients.add(secretaries[schedule.secretary_id])
        title = _("The reception day of %(unit)s on %(day)s has not been recorded") % {
            "unit": schedule.community.name,
            "day": day.isoformat(),
        }
        url = (
            reverse("outreach:reception-session-new", args=[schedule.community_id])
            + f"?date={day.isoformat()}"
        )
        for user in sorted(recipients):
            yield Reminder.about(recipient_id=user, subject=schedule, title=title, url=url)


KINDS = [
    ReminderKind(
        name="outreach.reception_not_recorded",
        label=gettext_lazy("Reception day not recorded"),
        sweep=reception_not_recorded,
    ),
]
