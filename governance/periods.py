"""Periods of days, written once: a `Period` is a range of local dates, `start` included and
`end` excluded (`last` is the last day included), with a `kind` naming what it is:

* a calendar period: "week" (Monday to Sunday), "month", "quarter", "half" (year), "year";
* a page's preset, counted from today: the calendar kinds above plus "last_month";
* "custom": a range of days a user typed.

`containing(kind, day)` is the calendar period holding a day (a duty's week, month or quarter);
`period(preset, today)` is what a page's preset means today; `previous(p)` is the period before
(of the same kind), cut to the same elapsed length while `p` is still running.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

ONE_DAY = datetime.timedelta(days=1)

#: The presets a page offers, with their labels (a custom range comes on top where a page
#: allows one).
PRESETS = {
    "week": _("This week"),
    "month": _("This month"),
    "last_month": _("Last month"),
    "quarter": _("This quarter"),
    "year": _("This year"),
}

#: The calendar kinds `containing` knows, with their length in months (a week: None).
CALENDAR = {"week": None, "month": 1, "quarter": 3, "half": 6, "year": 12}


@dataclass(frozen=True)
class Period:
    """A range of local dates: `start` included, `end` excluded; `kind` says what it is."""

    kind: str
    start: datetime.date
    end: datetime.date

    @property
    def last(self) -> datetime.date:
        """The last day included."""
        return self.end - ONE_DAY

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def __contains__(self, day: datetime.date) -> bool:
        return self.start <= day < self.end


def month_start(day: datetime.date, shift: int = 0) -> datetime.date:
    """The first day of `day`'s month, moved by `shift` months."""
    months = day.year * 12 + day.month - 1 + shift
    return datetime.date(months // 12, months % 12 + 1, 1)


def containing(kind: str, day: datetime.date) -> Period:
    """The calendar week, month, quarter, half-year or year that holds `day`."""
    months = CALENDAR[kind]
    if months is None:
        start = day - datetime.timedelta(days=day.weekday())
        return Period(kind, start, start + datetime.timedelta(days=7))
    start = datetime.date(day.year, (day.month - 1) // months * months + 1, 1)
    return Period(kind, start, month_start(start, months))


def custom(first: datetime.date, last: datetime.date) -> Period:
    """A range of days typed by a user, both included (given backwards, it is swapped)."""
    first, last = sorted((first, last))
    return Period("custom", first, last + ONE_DAY)


def period(
    preset: str,
    today: datetime.date,
    first: datetime.date | None = None,
    last: datetime.date | None = None,
) -> Period:
    """The period a page's preset means on `today`; "custom" runs from `first` to `last`, both
    included. Anything unknown (or a custom range without its days) is this month."""
    if preset == "custom" and first and last:
        return custom(first, last)
    if preset == "last_month":
        return Period(preset, month_start(today, -1), month_start(today))
    if preset in CALENDAR:
        return containing(preset, today)
    return containing("month", today)


def previous(p: Period, today: datetime.date | None = None) -> Period:
    """The period before `p`: the previous week, month, quarter, half-year or year; for a
    custom range, the same number of days just before it.

    While `p` is still running (`today` inside it), the previous period is cut to as many days
    as have passed of `p`, today included (period to date, 同期): on 3 December, 1–3 December is
    compared with 1–3 November rather than with the whole of November."""
    full = _whole_previous(p)
    if today is not None and p.start <= today <= p.last:
        elapsed = datetime.timedelta(days=(today - p.start).days + 1)
        return Period(full.kind, full.start, min(full.start + elapsed, full.end))
    return full


def _whole_previous(p: Period) -> Period:
    if p.kind == "last_month":
        return Period(p.kind, month_start(p.start, -1), p.start)
    if p.kind in CALENDAR:
        return containing(p.kind, p.start - ONE_DAY)
    return Period(p.kind, p.start - (p.end - p.start), p.start)
