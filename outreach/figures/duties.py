"""Duty periods and the duty status (done / due / behind), defined once.

- A duty's period is the calendar period of its expected frequency that contains the day:
  the ISO week (Monday to Sunday), the month, or the quarter (Jan–Mar, Apr–Jun, …).
- Contacts in the period: activities counted under the duty (outreach.models.DutyContact)
  held in the period.
- done: at least one contact in the current period.
- behind: no contact yet, and either the previous period ended without a contact (when the
  duty ran for the whole of it: "overdue", the superior is told), or BEHIND_SHARE of the
  current period has passed (counted from the duty's start when it started mid-period).
- due: no contact yet, but still time left in the period.

`duty_rows` computes every duty's status in three queries whatever the number of duties:
the duties,
the district policies, and one grouped count of contacts per duty (conditional counts for the
current and previous week, month and quarter).
"""

import datetime
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from governance import periods
from governance.models import Unit
from governance.periods import Period
from outreach.models import DutyContact, DutyPolicy, Frequency, LiaisonDuty

#: Share of the period after which a duty without a contact is behind.
BEHIND_SHARE = Fraction(2, 3)
DEFAULT_FREQUENCY = Frequency.MONTHLY


class DutyStatus:
    DONE = "done"
    DUE = "due"
    BEHIND = "behind"
    ALL = (DONE, DUE, BEHIND)


def status_label(status: str) -> str:
    return {
        DutyStatus.DONE: _("Contact done"),
        DutyStatus.DUE: _("Contact due"),
        DutyStatus.BEHIND: _("Contact behind"),
    }[status]


#: The calendar period (governance.periods) of each expected frequency.
FREQUENCY_KINDS = {
    Frequency.WEEKLY: "week",
    Frequency.MONTHLY: "month",
    Frequency.QUARTERLY: "quarter",
}


def period_of(frequency: str, day: datetime.date) -> Period:
    """The calendar week, month or quarter of `frequency` that holds `day`."""
    return periods.containing(FREQUENCY_KINDS.get(frequency, "month"), day)


def previous_period(period: Period) -> Period:
    return periods.containing(period.kind, period.start - datetime.timedelta(days=1))


def elapsed_share(period: Period, since: datetime.date, today: datetime.date) -> Fraction:
    start = max(period.start, since)
    total = (period.end - start).days
    return Fraction((today - start).days + 1, total) if total > 0 else Fraction(1)


def district_path(unit: Unit) -> str:
    return unit.path[: unit.steplen]


def policy_frequencies(district_paths) -> dict[tuple[str, str], str]:
    """{(district path, tier): frequency} of the districts' policies (one query)."""
    return {
        (path, tier): frequency
        for path, tier, frequency in DutyPolicy.objects.filter(
            district__path__in=list(district_paths)
        ).values_list("district__path", "tier", "frequency")
    }


def frequency_of(duty: LiaisonDuty, policies: dict) -> str:
    path = getattr(duty, "scope_path", None) or duty.scope_unit.path
    return duty.frequency or policies.get((path[: Unit.steplen], duty.tier)) or DEFAULT_FREQUENCY


@dataclass
class DutyRow:
    duty: LiaisonDuty
    frequency: str
    period: Period
    contacts: int
    previous_contacts: int
    status: str
    overdue: bool


def contact_counts(duty_ids_query, today: datetime.date) -> dict[int, dict[str, int]]:
    """Contacts per duty in the current and previous period of every frequency (one query)."""
    windows = {}
    for frequency in Frequency.values:
        current = period_of(frequency, today)
        windows[f"{frequency}_cur"] = current
        windows[f"{frequency}_prev"] = previous_period(current)
    earliest = min(p.start for p in windows.values())
    aggregates = {
        name: Count("pk", filter=Q(held_on__gte=p.start, held_on__lt=p.end))
        for name, p in windows.items()
    }
    rows = (
        DutyContact.objects.filter(duty__in=duty_ids_query, held_on__gte=earliest)
        .filter(held_on__lte=today)
        .values("duty_id")
        .order_by("duty_id")
        .annotate(**aggregates)
    )
    return {row.pop("duty_id"): row for row in rows}


def status_of(duty, frequency, counts: dict | None, today) -> DutyRow:
    period = period_of(frequency, today)
    previous = previous_period(period)
    current = (counts or {}).get(f"{frequency}_cur", 0)
    before = (counts or {}).get(f"{frequency}_prev", 0)
    overdue = current == 0 and before == 0 and duty.starts_on <= previous.start
    if current:
        status = DutyStatus.DONE
    elif overdue or elapsed_share(period, duty.starts_on, today) >= BEHIND_SHARE:
        status = DutyStatus.BEHIND
    else:
        status = DutyStatus.DUE
    return DutyRow(duty, frequency, period, current, before, status, overdue)


@dataclass
class DutyKey:
    """What the status needs of a duty, read as plain values (no model instances)."""

    pk: int
    tier: str
    frequency: str
    starts_on: datetime.date
    scope_path: str


def duty_rows(duties, today: datetime.date, *, light: bool = False) -> list[DutyRow]:
    """Status rows of the given current duties, in the queryset's order.

    With `light`, each row's `duty` is a DutyKey read with values_list, so that a page can
    compute the status of thousands of duties and load full rows only for those it shows.
    """
    if light:
        listed = [
            DutyKey(*values)
            for values in duties.values_list(
                "pk", "tier", "frequency", "starts_on", "scope_unit__path"
            )
        ]
        paths = {d.scope_path[: Unit.steplen] for d in listed}
    else:
        listed = list(duties)
        paths = {district_path(d.scope_unit) for d in listed}
    if not listed:
        return []
    policies = policy_frequencies(paths)
    counts = contact_counts(duties.values("pk"), today)
    return [status_of(d, frequency_of(d, policies), counts.get(d.pk), today) for d in listed]
