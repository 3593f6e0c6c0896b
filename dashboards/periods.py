"""The dashboard's periods: a preset (this week, month, last month, quarter, year) or a custom
range of days, and the period it is compared with (the one just before, of the same kind)."""

import datetime

from django.utils.translation import gettext_lazy as _

from governance.ledger import figures
from governance.ledger.figures import Period, month_start

PRESETS = {
    "week": _("This week"),
    "month": _("This month"),
    "last_month": _("Last month"),
    "quarter": _("This quarter"),
    "year": _("This year"),
}
#: A custom range may not be longer than this (the trends cover 12 months anyway).
MAX_DAYS = 3 * 366
ONE_DAY = datetime.timedelta(days=1)


def period(preset: str, today: datetime.date, first=None, last=None) -> Period:
    """The period a page asks for (the ledger figures' presets); a custom range runs from
    `first` to `last`, both included."""
    return figures.period(preset, today, first, last)


def previous(p: Period, today: datetime.date | None = None) -> Period:
    """The period before `p`: the previous week, month, quarter or year; for a custom range,
    the same number of days just before it.

    While `p` is still running (`today` inside it), the previous period is cut to as many days
    as have passed of `p`, today included (period to date, 同期): on 3 December, 1–3 December is
    compared with 1–3 November rather than with the whole of November."""
    full = _whole_previous(p)
    if today is not None and p.start <= today <= p.last:
        elapsed = datetime.timedelta(days=(today - p.start).days + 1)
        return Period(full.preset, full.start, min(full.start + elapsed, full.end))
    return full


def _whole_previous(p: Period) -> Period:
    if p.preset == "week":
        return Period("week", p.start - datetime.timedelta(days=7), p.start)
    if p.preset in ("month", "last_month"):
        return Period(p.preset, month_start(p.start, -1), p.start)
    if p.preset == "quarter":
        return Period("quarter", month_start(p.start, -3), p.start)
    if p.preset == "year":
        return Period("year", datetime.date(p.start.year - 1, 1, 1), p.start)
    return Period("custom", p.start - (p.end - p.start), p.start)
