"""Evaluation periods of the community part, written as codes: "2026-H1" (a half-year, for the
dual-reporting evaluation of work units) and "2026-Q3" (a quarter, for the property companies'
evaluation). A period is the range of local dates [start, end), end excluded.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HALF = "H"
QUARTER = "Q"
_CODE = re.compile(r"^(\d{4})-([HQ])([1-4])$")


def parse(code: str) -> tuple[int, str, int]:
    match = _CODE.match((code or "").strip().upper())
    if match is None:
        raise ValidationError(_("A period reads like 2026-H1 (half-year) or 2026-Q3 (quarter)."))
    year, kind, number = int(match.group(1)), match.group(2), int(match.group(3))
    if kind == HALF and number > 2:
        raise ValidationError(_("A year has two halves: H1 and H2."))
    return year, kind, number


def normalize(code: str) -> str:
    year, kind, number = parse(code)
    return f"{year}-{kind}{number}"


def bounds(code: str) -> tuple[datetime.date, datetime.date]:
    """First day and the day after the last day."""
    year, kind, number = parse(code)
    months = 6 if kind == HALF else 3
    first_month = (number - 1) * months + 1
    start = datetime.date(year, first_month, 1)
    end_month = first_month + months
    end = datetime.date(year + 1, 1, 1) if end_month > 12 else datetime.date(year, end_month, 1)
    return start, end


def containing(day: datetime.date, kind: str) -> str:
    if kind == HALF:
        return f"{day.year}-H{1 if day.month <= 6 else 2}"
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def previous(code: str) -> str:
    start, _end = bounds(code)
    kind = parse(code)[1]
    return containing(start - datetime.timedelta(days=1), kind)


def label(code: str) -> str:
    year, kind, number = parse(code)
    if kind == HALF:
        return (_("%(year)d first half") if number == 1 else _("%(year)d second half")) % {
            "year": year
        }
    return _("%(year)d Q%(n)d") % {"year": year, "n": number}


def recent(kind: str, today: datetime.date, count: int = 6) -> list[str]:
    """The period containing `today` and the ones before it, newest first (for choices)."""
    codes = [containing(today, kind)]
    while len(codes) < count:
        codes.append(previous(codes[-1]))
    return codes
