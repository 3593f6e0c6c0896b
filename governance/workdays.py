"""The working-day calendar that deadlines are counted on.

China moves working days around public holidays (调休): some weekdays are off, some weekends are
worked, so a deadline counted on plain weekdays is wrong. `CalendarDay` stores only those
exceptions; every other day is a working day exactly when it falls Monday to Friday.

A year is *known* when a `CalendarYear` row says its official schedule is recorded in full. In an
unknown year the days that are recorded still apply and the rest falls back to Monday–Friday;
that is never an error, callers show a warning for the years `unknown_years` names.

Definitions
- `add_workdays(start, n)`: the n-th working day after `start`. `start` itself never counts,
  whether or not it is a working day; n = 0 gives `start`. A matter received on Wednesday
  30 September 2026 with 3 working days is due on Saturday 10 October (a make-up working day).
- `workdays_between(a, b)`: how many working days d satisfy a < d <= b, negative when b < a.
  It undoes `add_workdays`: workdays_between(a, add_workdays(a, n)) == n, and
  workdays_between(due, today) > 0 says by how many working days an item is overdue.
- Working time: the clock time that falls on working days. A working day counts whole, 24 hours,
  and the clock stops on days off. Office hours are not modelled: a time limit binds the unit,
  not one shift, and the answer never depends on a per-unit timetable.
- `add_work_hours(start, hours)`: the moment when `hours` of working time have passed since
  `start`; started on a day off, the clock runs from 00:00 of the next working day. Friday 16:00
  plus 24 hours is Monday 16:00 after an ordinary weekend.
- A bare date given as a start or a deadline means the end of that day (24:00): the start day
  does not count, as in `add_workdays`, and an item is on time for the whole of its due day.
  Hours are local wall-clock hours (Asia/Shanghai has no daylight saving time).
- `light(start, deadline, now)`: "red" once `now` has reached the deadline; otherwise "yellow"
  once the working time used since `start` is at least `yellow_share` (settings,
  SHANZHI_YELLOW_SHARE = 0.7) of the working time from `start` to the deadline; else "green".

Queries: a `WorkCalendar` reads the known years once and each calendar year's days once, when
first needed, so one computation costs one query per calendar year it touches (plus one for
`unknown_years`). Every function builds a fresh calendar unless given one, so it always sees
the table as it is now; a loop over many items passes one `calendar=` to share the reads. There
is no process-wide cache because web and Celery workers would each have to learn of an edit.
"""

import datetime
from collections.abc import Iterable
from typing import Literal

import chinese_calendar
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from governance.models import CalendarDay, CalendarSource, CalendarYear

Light = Literal["green", "yellow", "red"]

ONE_DAY = datetime.timedelta(days=1)


class WorkCalendar:
    """The calendar table as read by one computation (or one request), loaded lazily per year."""

    def __init__(self) -> None:
        self._known_years: frozenset[int] | None = None
        self._exceptions: dict[int, dict[datetime.date, bool]] = {}

    def year_known(self, year: int) -> bool:
        if self._known_years is None:
            self._known_years = frozenset(CalendarYear.objects.values_list("year", flat=True))
        return year in self._known_years

    def is_workday(self, day: datetime.date) -> bool:
        if day.year not in self._exceptions:
            rows = CalendarDay.objects.filter(date__year=day.year).values_list("date", "kind")
            self._exceptions[day.year] = {d: k == CalendarDay.Kind.WORKDAY for d, k in rows}
        return self._exceptions[day.year].get(day, day.weekday() < 5)


def is_workday(day: datetime.date, *, calendar: WorkCalendar | None = None) -> bool:
    return (calendar or WorkCalendar()).is_workday(day)


def year_known(year: int, *, calendar: WorkCalendar | None = None) -> bool:
    return (calendar or WorkCalendar()).year_known(year)


def unknown_years(
    a: datetime.date, b: datetime.date, *, calendar: WorkCalendar | None = None
) -> list[int]:
    """The years from a to b (either order) whose schedule is not recorded: show a warning."""
    cal = calendar or WorkCalendar()
    first, last = sorted((a.year, b.year))
    return [year for year in range(first, last + 1) if not cal.year_known(year)]


def add_workdays(
    start: datetime.date, n: int, *, calendar: WorkCalendar | None = None
) -> datetime.date:
    if n < 0:
        raise ValueError("n must be zero or more working days")
    cal = calendar or WorkCalendar()
    day = start
    while n:
        day += ONE_DAY
        if cal.is_workday(day):
            n -= 1
    return day


def workdays_between(
    a: datetime.date, b: datetime.date, *, calendar: WorkCalendar | None = None
) -> int:
    if b < a:
        return -workdays_between(b, a, calendar=calendar)
    cal = calendar or WorkCalendar()
    return sum(cal.is_workday(a + ONE_DAY * i) for i in range(1, (b - a).days + 1))


def add_work_hours(
    start: datetime.datetime, hours: int, *, calendar: WorkCalendar | None = None
) -> datetime.datetime:
    if hours < 0:
        raise ValueError("hours must be zero or more")
    return add_work_time(start, datetime.timedelta(hours=hours), calendar=calendar)


def add_work_time(
    start: datetime.datetime, amount: datetime.timedelta, *, calendar: WorkCalendar | None = None
) -> datetime.datetime:
    """The moment when `amount` of working time has passed since `start`."""
    cal = calendar or WorkCalendar()
    left = amount
    moment = _local(start)
    while left:
        day_end = datetime.datetime.combine(moment.date() + ONE_DAY, datetime.time())
        if cal.is_workday(moment.date()):
            if left <= day_end - moment:
                moment += left
                break
            left -= day_end - moment
        moment = day_end
    return timezone.make_aware(moment) if timezone.is_aware(start) else moment


def deadline(
    start: datetime.datetime, amount: int, unit: str, *, calendar: WorkCalendar | None = None
) -> datetime.datetime:
    """The deadline of a time limit: `amount` working days (ending at 24:00 of the last one)
    or `amount` working hours after `start`. Returns an aware datetime."""
    cal = calendar or WorkCalendar()
    if unit == "hour":
        return add_work_hours(start, amount, calendar=cal)
    last_day = add_workdays(timezone.localdate(start), amount, calendar=cal)
    return timezone.make_aware(_local(last_day))


def warn_moment(
    start: datetime.datetime,
    due: datetime.datetime,
    yellow_share: float | None = None,
    *,
    calendar: WorkCalendar | None = None,
) -> datetime.datetime:
    """The instant `light` turns yellow: `yellow_share` of the working time to `due` used.

    Stored on each item so that lists filter by light with an index instead of computing it.
    """
    if yellow_share is None:
        yellow_share = settings.SHANZHI_YELLOW_SHARE
    cal = calendar or WorkCalendar()
    total = _work_time(_local(start), _local(due), cal)
    return add_work_time(start, total * yellow_share, calendar=cal)


def light(
    start: datetime.date,
    deadline: datetime.date,
    now: datetime.datetime,
    yellow_share: float | None = None,
    *,
    calendar: WorkCalendar | None = None,
) -> Light:
    # Read at call time, not as a default argument, so settings overrides take effect.
    if yellow_share is None:
        yellow_share = settings.SHANZHI_YELLOW_SHARE
    begin, end, at = _local(start), _local(deadline), _local(now)
    if at >= end:
        return "red"
    cal = calendar or WorkCalendar()
    total = _work_time(begin, end, cal)
    # A limit with no working time in it that has not passed yet is due now.
    used_share = _work_time(begin, at, cal) / total if total else 1.0
    return "yellow" if used_share >= yellow_share else "green"


def _local(moment: datetime.date) -> datetime.datetime:
    """A naive local wall-clock datetime; a bare date is the end of that day."""
    if not isinstance(moment, datetime.datetime):
        return datetime.datetime.combine(moment + ONE_DAY, datetime.time())
    return timezone.localtime(moment).replace(tzinfo=None) if timezone.is_aware(moment) else moment


def _work_time(a: datetime.datetime, b: datetime.datetime, cal: WorkCalendar) -> datetime.timedelta:
    total = datetime.timedelta()
    day = a.date()
    while day <= b.date():
        day_start = datetime.datetime.combine(day, datetime.time())
        if cal.is_workday(day):
            total += max(datetime.timedelta(), min(b, day_start + ONE_DAY) - max(a, day_start))
        day += ONE_DAY
    return total


def library_years() -> range:
    """The years the installed chinese_calendar package has official schedules for."""
    return range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)


@transaction.atomic
def load_from_library(years: Iterable[int] | None = None) -> dict[str, int]:
    """Record the chinese_calendar schedule for `years` (default: all it knows) and mark them known.

    Idempotent. Days entered by hand win over the package; package days the package no longer
    lists (after an upgrade corrected a notice) are removed. Returns counts of days created,
    updated and removed.
    """
    available = library_years()
    years = sorted(set(years or available))
    if outside := [year for year in years if year not in available]:
        raise ValueError(
            f"chinese_calendar knows {available[0]}–{available[-1]} only, not {outside}; "
            "record later years by hand"
        )
    # Only the days that break Monday–Friday: the package also lists weekends inside a holiday.
    wanted: dict[datetime.date, tuple[str, str]] = {}
    for day, holiday in chinese_calendar.holidays.items():
        if day.year in years and day.weekday() < 5:
            wanted[day] = (CalendarDay.Kind.HOLIDAY, chinese_calendar.Holiday(holiday).chinese)
    for day, holiday in chinese_calendar.workdays.items():
        if day.year in years and day.weekday() >= 5:
            wanted[day] = (CalendarDay.Kind.WORKDAY, chinese_calendar.Holiday(holiday).chinese)

    in_years = CalendarDay.objects.filter(date__year__in=years)
    removed, _ = (
        in_years.filter(source=CalendarSource.LIBRARY).exclude(date__in=list(wanted)).delete()
    )
    existing = {row.date: row for row in in_years}
    created, updated = [], []
    for day, (kind, name) in wanted.items():
        row = existing.get(day)
        if row is None:
            created.append(
                CalendarDay(date=day, kind=kind, name=name, source=CalendarSource.LIBRARY)
            )
        elif row.source == CalendarSource.LIBRARY and (row.kind, row.name) != (kind, name):
            row.kind, row.name = kind, name
            updated.append(row)
    CalendarDay.objects.bulk_create(created)
    CalendarDay.objects.bulk_update(updated, ["kind", "name"])
    for year in years:
        CalendarYear.objects.get_or_create(year=year, defaults={"source": CalendarSource.LIBRARY})
    return {"created": len(created), "updated": len(updated), "removed": removed}


def holidays_between(
    start: datetime.date, end: datetime.date, *, calendar: WorkCalendar | None = None
) -> dict[datetime.date, str]:
    """The public-holiday days from `start` to `end` (both included), with the holiday's name.

    The table stores only exceptions (a weekday off, a weekend worked), but a holiday includes
    the weekend days inside it (National Day 2026 is 1–7 October, Saturday 3 and Sunday 4
    included). So a public-holiday day is any day of a maximal run of consecutive days off that
    contains at least one stored holiday; an ordinary weekend is not one. One query per
    calendar year touched (through the calendar), plus one for the names.
    """
    if end < start:
        return {}
    cal = calendar or WorkCalendar()
    # A holiday run is at most about ten days long, so a run crossing either end of the range
    # is found by looking that far beyond it.
    margin = datetime.timedelta(days=12)
    first, last = start - margin, end + margin
    names = dict(
        CalendarDay.objects.filter(
            date__range=(first, last), kind=CalendarDay.Kind.HOLIDAY
        ).values_list("date", "name")
    )
    found: dict[datetime.date, str] = {}
    run: list[datetime.date] = []
    day = first
    while day <= last + ONE_DAY:
        if day <= last and not cal.is_workday(day):
            run.append(day)
        else:
            named = [names[d] for d in run if d in names]
            if named:
                for d in run:
                    if start <= d <= end:
                        found[d] = names.get(d) or named[0]
            run = []
        day += ONE_DAY
    return found


def makeup_workdays_between(start: datetime.date, end: datetime.date) -> frozenset[datetime.date]:
    """The Saturdays and Sundays from `start` to `end` that are worked (调休上班)."""
    return frozenset(
        CalendarDay.objects.filter(
            date__range=(start, end), kind=CalendarDay.Kind.WORKDAY, date__week_day__in=(1, 7)
        ).values_list("date", flat=True)
    )
