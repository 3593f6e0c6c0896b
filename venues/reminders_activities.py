"""Reminder kind of the activities part (registered through venues/hooks_activities.py).

venues.week_preview: from Thursday (REMIND_FROM_WEEKDAY) to Sunday, every day until it is
published, the staff of each unit holding an active venue (communities and villages, or a
township for its own centre) are told to check and publish next week's activity preview,
with the number of activities it holds. Subject: the unit, so governance.notifications'
unique (recipient, kind, subject, day) sends it at most once a day; a beat that was down
catches up on its next run while the week is still unpublished.

Recipients: current memberships at the unit itself whose role holds "handle_items", of active
accounts (the ledger's rule for "staff of a unit").

Cost: four queries whatever the number of units: units with venues, published previews,
activity counts per unit, recipients.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from governance.models import Membership, Unit
from governance.recipients import HANDLER_ROLES
from governance.registry import Reminder, ReminderKind
from venues.models import Activity, Venue, WeekPreview, WeekStatus
from venues.services_activities import week_of

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
    staff = defaultdict(list)
    for unit, user in (
        Membership.objects.current(today)
        .filter(unit_id__in=unit_ids, role__in=HANDLER_ROLES, user__is_active=True)
        .values_list("unit_id", "user_id")
        .order_by("unit_id", "user_id")
        .distinct()
    ):
        staff[unit].append(user)
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


WEEK_PREVIEW = ReminderKind(
    "venues.week_preview", gettext_lazy("Weekly activity preview to publish"), week_preview
)

KINDS = [WEEK_PREVIEW]
