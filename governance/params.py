"""One reader for the query parameters pages take: dates, weeks, months, years and ids.

Bad input — an impossible date (`2026-02-30`), a far-off one (`9999-12-31`, which overflows as
soon as a day is added, or `0001-01-01`), a week or month that does not exist, an id too long for
a bigint — is never an error: the page shows its default and says, in a message, which value it
could not read. A blank parameter means "the default" and says nothing.
"""

import datetime
import re

from django import forms
from django.contrib import messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

#: Dates a page may be asked about: wide enough for any record, narrow enough that a year or two
#: of arithmetic on them never leaves the calendar.
FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(2199, 12, 31)
FIRST_YEAR, LAST_YEAR = 2000, 2100
#: The largest id any of our tables uses (a PostgreSQL bigint).
MAX_ID = 2**63 - 1

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})(?:-\d{1,2})?$")
_ISO_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$")


def in_range(day: datetime.date | None) -> bool:
    return day is not None and FIRST_DAY <= day <= LAST_DAY


def parse_day(value: str | None) -> datetime.date | None:
    """A `YYYY-MM-DD` day within the range pages work with, else None."""
    try:
        day = datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        return None
    return day if in_range(day) else None


def parse_id(value: str | None) -> int | None:
    """A positive id that fits a bigint, else None."""
    value = (value or "").strip()
    if not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def parse_month(value: str | None) -> datetime.date | None:
    """The first day of the month `YYYY-MM` (a day of it is accepted too), else None."""
    match = _MONTH.match((value or "").strip())
    if not match:
        return None
    try:
        month = datetime.date(int(match[1]), int(match[2]), 1)
    except ValueError:
        return None
    return month if in_range(month) else None


def parse_week(value: str | None) -> datetime.date | None:
    """The Monday of the week of a day (`YYYY-MM-DD`) or of an ISO week (`2026-W10`), else None."""
    value = (value or "").strip()
    match = _ISO_WEEK.match(value)
    if match:
        try:
            day = datetime.date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            return None
    else:
        day = parse_day(value)
    if not in_range(day):
        return None
    return day - datetime.timedelta(days=day.weekday())


def parse_year(value: str | None) -> int | None:
    value = (value or "").strip()
    if not value.isascii() or not value.isdigit():
        return None
    return int(value) if FIRST_YEAR <= int(value) <= LAST_YEAR else None


KINDS = {
    "date": (parse_day, gettext_lazy("The date “%(value)s” in the address is not valid.")),
    "week": (parse_week, gettext_lazy("The week “%(value)s” in the address is not valid.")),
    "month": (parse_month, gettext_lazy("The month “%(value)s” in the address is not valid.")),
    "year": (parse_year, gettext_lazy("The year “%(value)s” in the address is not valid.")),
    "id": (parse_id, gettext_lazy("The id “%(value)s” in the address is not valid.")),
}


def _read(request, name: str, kind: str, default, data=None):
    raw = (request.GET if data is None else data).get(name, "")
    if not raw:
        return default
    parse, message = KINDS[kind]
    value = parse(raw)
    if value is None:
        warn(request, name, raw, message)
        return default
    return value


def warn(request, name: str, raw: str, message) -> None:
    """Tell the user once per parameter that its value was not understood (and that the page
    shows its default instead)."""
    reported = request.__dict__.setdefault("_unreadable_params", set())
    if name in reported:
        return
    reported.add(name)
    shown = raw if len(raw) <= 30 else raw[:30] + "…"
    instead = _("The default is shown instead.")
    messages.warning(request, f"{message % {'value': shown}} {instead}")


def date_param(request, name: str, default=None, data=None) -> datetime.date | None:
    return _read(request, name, "date", default, data)


def week_param(request, name: str = "week", default=None, data=None) -> datetime.date | None:
    return _read(request, name, "week", default, data)


def month_param(request, name: str = "month", default=None, data=None) -> datetime.date | None:
    return _read(request, name, "month", default, data)


def year_param(request, name: str = "year", default=None, data=None) -> int | None:
    return _read(request, name, "year", default, data)


def number_param(request, name: str, default: int, *, low: int, high: int, data=None) -> int:
    """A whole number between low and high (a quarter, a half-year, a percentage)."""
    raw = (request.GET if data is None else data).get(name, "")
    if not raw:
        return default
    value = parse_id(raw) if raw != "0" else 0
    if value is None or not low <= value <= high:
        warn(
            request, name, raw, gettext_lazy("The number “%(value)s” in the address is not valid.")
        )
        return default
    return value


def id_param(request, name: str, default=None, data=None) -> int | None:
    return _read(request, name, "id", default, data)


class DayField(forms.DateField):
    """A date field for filter forms read from the address: only days pages can work with."""

    def to_python(self, value):
        day = super().to_python(value)
        if day is not None and not in_range(day):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return day


class IdField(forms.IntegerField):
    """An id field for filter forms read from the address: positive and within a bigint."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)
