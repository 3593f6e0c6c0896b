"""Reminder kinds of the evaluations due: work units (dual reporting, per half-year) and property
companies (red property, per quarter); registered in outreach/apps.py.

Each sweep computes from the rows what is due on `today`; governance.notifications.deliver
claims every reminder under (recipient, kind, subject, day), so at most one per subject, kind
and day. A sweep that did not run (the beat was down) is caught up by the next one, because
what is due stays due until someone acts.

- outreach.dual_evaluation_due: from DUAL_WARN_DAYS before a half-year ends until
  DUAL_LATE_DAYS after, a community with work units posted there in that half-year and not yet
  evaluated for it. Subject: the community. To: its staff.
- outreach.property_evaluation_due: the same for quarters (PROPERTY_WARN_DAYS /
  PROPERTY_LATE_DAYS) and the property companies that served an estate of the community in
  that quarter. Subject: the community. To: its staff.

Cost: a fixed number of queries per sweep.
"""

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy, ngettext

from governance.models import Unit
from governance.recipients import staff_of
from governance.registry import Reminder, ReminderKind
from outreach import evaluation_periods as periods
from outreach.figures.dual import evaluations_due
from outreach.models import PropertyContract, PropertyEvaluation, WorkUnitPosting

DUAL_WARN_DAYS, DUAL_LATE_DAYS = 14, 30
PROPERTY_WARN_DAYS, PROPERTY_LATE_DAYS = 10, 20
ONE_DAY = datetime.timedelta(days=1)


def _window_period(today, kind, warn_days, late_days) -> str | None:
    """The period whose evaluations are due on `today`: the current one in its last
    `warn_days` days, the previous one in the first `late_days` days after it ended."""
    current = periods.containing(today, kind)
    _start, end = periods.bounds(current)
    if (end - today).days <= warn_days:
        return current
    previous = periods.previous(current)
    if (today - periods.bounds(previous)[1]).days < late_days:
        return previous
    return None


def dual_evaluation_due(today: datetime.date):
    period = _window_period(today, periods.HALF, DUAL_WARN_DAYS, DUAL_LATE_DAYS)
    if period is None:
        return
    start, end = periods.bounds(period)
    community_ids = set(
        WorkUnitPosting.objects.overlapping(start, end).values_list("community_id", flat=True)
    )
    due = evaluations_due(community_ids, period)
    yield from _evaluation_reminders(today, due, period, "outreach:dual-unit-list", dual=True)


def property_due(community_ids, period: str) -> dict[int, list[int]]:
    """{community id: ids of companies that served it in the quarter without its evaluation}."""
    start, end = periods.bounds(period)
    served = (
        PropertyContract.objects.overlapping(start, end)
        .filter(estate__community_id__in=community_ids, company__is_active=True)
        .values_list("estate__community_id", "company_id")
        .distinct()
    )
    done = set(
        PropertyEvaluation.objects.filter(period=period).values_list("community_id", "company_id")
    )
    due: dict[int, list[int]] = {}
    for community, company in served:
        if (community, company) not in done and company not in due.get(community, []):
            due.setdefault(community, []).append(company)
    return due


def property_evaluation_due(today: datetime.date):
    period = _window_period(today, periods.QUARTER, PROPERTY_WARN_DAYS, PROPERTY_LATE_DAYS)
    if period is None:
        return
    start, end = periods.bounds(period)
    community_ids = set(
        PropertyContract.objects.overlapping(start, end).values_list(
            "estate__community_id", flat=True
        )
    )
    due = property_due(community_ids, period)
    yield from _evaluation_reminders(today, due, period, "outreach:property-company-list")


def _evaluation_reminders(today, due: dict, period: str, url_name: str, dual: bool = False):
    if not due:
        return
    staff = staff_of(today, due)
    names = dict(Unit.objects.filter(pk__in=list(due)).values_list("pk", "name"))
    _start, end = periods.bounds(period)
    for community, ids in sorted(due.items()):
        values = {
            "count": len(ids),
            "unit": names.get(community, ""),
            "period": periods.label(period),
            "last": (end - ONE_DAY).isoformat(),
        }
        if dual:
            title = ngettext(
                "%(unit)s: %(count)d work unit to evaluate for %(period)s (ends %(last)s)",
                "%(unit)s: %(count)d work units to evaluate for %(period)s (ends %(last)s)",
                len(ids),
            )
        else:
            title = ngettext(
                "%(unit)s: %(count)d property company to evaluate for %(period)s (ends %(last)s)",
                "%(unit)s: %(count)d property companies to evaluate for %(period)s (ends %(last)s)",
                len(ids),
            )
        url = f"{reverse(url_name)}?unit={community}&period={period}"
        for user in staff[community]:
            yield Reminder(
                recipient_id=user,
                subject_type=Unit,
                subject_id=community,
                title=title % values,
                url=url,
            )


KINDS = [
    ReminderKind(
        name="outreach.dual_evaluation_due",
        label=gettext_lazy("Work unit evaluations due"),
        sweep=dual_evaluation_due,
    ),
    ReminderKind(
        name="outreach.property_evaluation_due",
        label=gettext_lazy("Property company evaluations due"),
        sweep=property_evaluation_due,
    ),
]
