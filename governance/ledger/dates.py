"""Dates as staff type them into Excel, read into dates and moments.

A cell may hold a real date or date-time (openpyxl gives a `datetime`), an Excel serial number
(46086 is 2026-03-05: a date column formatted as "General" shows the number), or text in one
of the forms in use: 2026-03-05, 2026/3/5, 2026.3.5, 2026年3月5日, 20260305, each optionally
followed by a time (14:30, 14:30:05, 14时30分). Full-width digits and stray spaces are folded
first. A value with no time of day, or with 00:00, is a date; otherwise a naive local moment,
to the second.
"""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

# Items are from this century; a year outside this range is a typing slip, not a date.
EARLIEST_YEAR, LATEST_YEAR = 1990, 2100

_DATE_TEXT = re.compile(
    r"^(?P<y>\d{4})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})\s*日?"
    r"(?:(?:\s+|T|\s*(?=\d))(?P<H>\d{1,2})\s*[:时点]\s*(?P<M>\d{1,2})\s*分?"
    r"(?:\s*[:]?\s*(?P<S>\d{1,2})\s*秒?)?)?$"
)
_COMPACT_DATE = re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$")
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
_SPACES = re.compile(r"\s+")


def _invalid(text) -> ValidationError:
    return ValidationError(
        _("“%(value)s” is not a date; write it as 2026-03-05 or 2026年3月5日."),
        code="invalid_date",
        params={"value": text},
    )


def _checked(moment: datetime.datetime, text) -> datetime.date | datetime.datetime:
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise _invalid(text)
    # Excel keeps times as fractions of a day: 14:30 may come back as 14:29:59.999987.
    moment = (moment + datetime.timedelta(microseconds=500_000)).replace(microsecond=0)
    if moment.time() == datetime.time():
        return moment.date()
    return moment


def read_date(value) -> datetime.date | datetime.datetime | None:
    """A date (no time of day), a naive local datetime, or None for an empty cell.

    Raises ValidationError with a message naming the value when it is not a date.
    """
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.make_naive(value)
        return _checked(value, value)
    if isinstance(value, datetime.date):
        return _checked(datetime.datetime.combine(value, datetime.time()), value)
    if isinstance(value, bool | datetime.time):
        raise _invalid(value)
    if isinstance(value, int | float):
        return _serial(value, value)
    text = _SPACES.sub(" ", unicodedata.normalize("NFKC", str(value))).strip()
    if not text:
        return None
    if _SERIAL.match(text):
        return _serial(float(text), text)
    match = _DATE_TEXT.match(text) or _COMPACT_DATE.match(text)
    if match is None:
        raise _invalid(text)
    parts = {k: int(v) for k, v in match.groupdict().items() if v is not None}
    try:
        moment = datetime.datetime(
            parts["y"],
            parts["m"],
            parts["d"],
            parts.get("H", 0),
            parts.get("M", 0),
            parts.get("S", 0),
        )
    except ValueError:
        raise _invalid(text) from None
    return _checked(moment, text)


def _serial(number: float, text) -> datetime.date | datetime.datetime:
    try:
        moment = from_excel(number)
    except (ValueError, OverflowError):
        raise _invalid(text) from None
    return _checked(moment, text)


def start_of(value: datetime.date | datetime.datetime) -> datetime.datetime:
    """The aware moment a date (its 00:00) or a local moment stands for, as a start."""
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time())
    return timezone.make_aware(value)


def end_of(value: datetime.date | datetime.datetime) -> datetime.datetime:
    """The aware moment a deadline stands for: a date is due at its end (24:00), as in
    governance.workdays; a moment is due at that moment."""
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(value)


def as_deadline_cell(due: datetime.datetime | None) -> datetime.date | datetime.datetime | None:
    """The inverse of `end_of` for a spreadsheet cell: 24:00 of a day reads as that day."""
    if due is None:
        return None
    local = timezone.localtime(due).replace(tzinfo=None)
    if local.time() == datetime.time():
        return (local - datetime.timedelta(days=1)).date()
    return local.replace(microsecond=0)


def as_moment_cell(moment: datetime.datetime | None) -> datetime.date | datetime.datetime | None:
    """A stored moment as a naive local cell value, to the second (Excel holds no zone)."""
    if moment is None:
        return None
    local = timezone.localtime(moment).replace(tzinfo=None, microsecond=0)
    return local.date() if local.time() == datetime.time() else local
