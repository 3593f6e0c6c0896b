"""The opening-hours engine: plain data in, answers out (no database, no clock).

Modelled on mature opening-hours services (OpenStreetMap's opening_hours, Google's regular and
special hours):

- Regular hours are weekly spans, several per day: a lunch break is two spans (08:30–12:00,
  14:00–17:30); "open through lunch" is one (08:30–17:30). A span belongs to the day it starts
  on; one whose end is not after its start runs past midnight (20:00–02:00 is open from 20:00
  until 02:00 the next morning), and one whose end equals its start lasts 24 hours (00:00–00:00
  is the whole day).
- Each span has a state: OPEN (staffed) or SELF_SERVICE (the door is open, nobody on duty —
  a red station staffed 9:00–17:00 and self-service the rest of the day). Where a staffed and a
  self-service span overlap, staffed wins. Any moment outside every span is CLOSED. "24 hours"
  is not a flag: it is a span that covers the whole day.
- Dated periods override the regular hours on the days they cover (a holiday timetable, summer
  hours, a closure for renovation). A period gives its own weekly spans, and a day of the period
  without spans is closed. When periods overlap, the shortest wins (fewest days); among equally
  short periods the one that starts later, then the one entered last (higher `order`).
- Public holidays (the working-day calendar's holiday runs, weekends inside them included) close
  the staffed spans unless the venue is marked open on holidays (假日不打烊), in which case its
  regular hours apply. Self-service spans need nobody on duty, so they stay open on holidays
  (a 24-hour self-service red station is open on National Day, unstaffed). A period covering
  the day still wins over the holiday rule: a venue that publishes special hours for National
  Day keeps them.
- A make-up working day (调休上班: a Saturday or Sunday that is worked) keeps the venue's regular
  hours for that weekday when it has any (a centre open on Saturdays keeps its Saturday hours);
  a venue normally closed that day opens with the regular hours of `makeup_weekday` (Monday by
  default), since the residents it serves are at work as on a weekday and expect the office
  to be open.

All times are local wall-clock times in Asia/Shanghai, which has no daylight saving time, so
naive datetimes are exact. Callers convert an aware "now" with `local_now`.
"""

import datetime
import itertools
import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
ONE_DAY = datetime.timedelta(days=1)
WEEK_MINUTES = 7 * 24 * 60
#: How far ahead "next opening" looks (a closure for renovation may last weeks).
LOOKAHEAD_DAYS = 62
#: A state that lasts longer than this is "24 hours" (status() stops reading ahead).
ALWAYS_OPEN_DAYS = 7

# Labels (definitions used on the staff list, the public page and the figures):
#: 错时延时 staggered/extended hours: a staffed span that starts before 08:30, ends after
#: 18:00, or falls on a Saturday or Sunday.
EXTENDED_BEFORE = datetime.time(8, 30)
EXTENDED_AFTER = datetime.time(18, 0)
#: 午间不间断 open through lunch: every Monday–Friday that is staffed at all is staffed without
#: a break from 12:00 to 14:00 (and at least one weekday is staffed).
LUNCH = (datetime.time(12, 0), datetime.time(14, 0))


class State(StrEnum):
    OPEN = "open"
    SELF_SERVICE = "self_service"
    CLOSED = "closed"


class DaySource(StrEnum):
    REGULAR = "regular"
    PERIOD = "period"
    HOLIDAY = "holiday"
    MAKEUP = "makeup"


@dataclass(frozen=True)
class Span:
    """One span of a weekly timetable. weekday 0 = Monday … 6 = Sunday; None = every day."""

    weekday: int | None
    start: datetime.time
    end: datetime.time
    state: State = State.OPEN

    def __post_init__(self):
        if self.weekday is not None and not 0 <= self.weekday <= 6:
            raise ValueError("weekday must be 0 (Monday) to 6 (Sunday) or None")
        if self.state == State.CLOSED:
            raise ValueError("a span is open or self-service; closed is the absence of spans")

    def applies_to(self, weekday: int) -> bool:
        return self.weekday is None or self.weekday == weekday

    @property
    def minutes(self) -> int:
        """Length in minutes: past midnight adds a day; equal start and end is 24 hours."""
        start = self.start.hour * 60 + self.start.minute
        end = self.end.hour * 60 + self.end.minute
        return end - start if end > start else end - start + 24 * 60

    def on(self, day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
        begin = datetime.datetime.combine(day, self.start)
        return begin, begin + datetime.timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class DatedHours:
    """Dated hours that override the regular ones from `start` to `end` (both included)."""

    start: datetime.date
    end: datetime.date
    spans: tuple[Span, ...] = ()
    name: str = ""
    order: int = 0

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("a period ends on or after its start")

    def covers(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Schedule:
    regular: tuple[Span, ...] = ()
    periods: tuple[DatedHours, ...] = ()
    open_on_holidays: bool = False
    makeup_weekday: int = 0
    #: Public-holiday days (weekends inside a holiday run included), with their names.
    holidays: dict[datetime.date, str] = field(default_factory=dict)
    #: Make-up working days (weekend days that are worked).
    makeup_days: frozenset[datetime.date] = frozenset()


@dataclass(frozen=True)
class DayPlan:
    day: datetime.date
    spans: tuple[Span, ...]
    source: DaySource
    #: The period's name, or the holiday's, where one decided the day.
    reason: str = ""

    @property
    def closed(self) -> bool:
        return not self.spans


@dataclass(frozen=True)
class Interval:
    start: datetime.datetime
    end: datetime.datetime
    state: State


@dataclass(frozen=True)
class Status:
    """The answer for one moment: the state, until when it lasts, and what comes next."""

    state: State
    #: When the current state ends (None: closed and no opening found within the look-ahead).
    until: datetime.datetime | None
    #: The next state after `until`.
    next_state: State | None
    #: When closed: the next moment the venue opens (staffed or self-service).
    next_opening: Interval | None


def local_now(moment: datetime.datetime) -> datetime.datetime:
    """A naive Asia/Shanghai wall-clock datetime for an aware (or already naive local) one."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(SHANGHAI).replace(tzinfo=None)


def _spans_for_weekday(spans: Iterable[Span], weekday: int) -> tuple[Span, ...]:
    return tuple(
        sorted(
            (s for s in spans if s.applies_to(weekday)),
            key=lambda s: (s.start, s.state != State.OPEN),
        )
    )


def winning_period(periods: Iterable[DatedHours], day: datetime.date) -> DatedHours | None:
    """The shortest period covering the day; then the latest start; then the highest order."""
    covering = [p for p in periods if p.covers(day)]
    if not covering:
        return None
    return min(covering, key=lambda p: (p.days, -p.start.toordinal(), -p.order))


def day_plan(schedule: Schedule, day: datetime.date) -> DayPlan:
    """The spans that start on `day`, and what decided them."""
    weekday = day.weekday()
    period = winning_period(schedule.periods, day)
    if period is not None:
        return DayPlan(
            day, _spans_for_weekday(period.spans, weekday), DaySource.PERIOD, period.name
        )
    regular = _spans_for_weekday(schedule.regular, weekday)
    if day in schedule.holidays and not schedule.open_on_holidays:
        unstaffed = tuple(span for span in regular if span.state == State.SELF_SERVICE)
        return DayPlan(day, unstaffed, DaySource.HOLIDAY, schedule.holidays[day])
    if day in schedule.makeup_days and not regular:
        borrowed = _spans_for_weekday(schedule.regular, schedule.makeup_weekday)
        return DayPlan(day, borrowed, DaySource.MAKEUP)
    if day in schedule.holidays:
        return DayPlan(day, regular, DaySource.REGULAR, schedule.holidays[day])
    return DayPlan(day, regular, DaySource.REGULAR)


def intervals(schedule: Schedule, first: datetime.date, last: datetime.date) -> list[Interval]:
    """The open and self-service intervals from 00:00 of `first` to 24:00 of `last`, merged,
    staffed winning over self-service, in time order. A span that starts the day before
    `first` and runs past midnight is included (clipped at `first`)."""
    window_start = datetime.datetime.combine(first, datetime.time())
    window_end = datetime.datetime.combine(last + ONE_DAY, datetime.time())
    raw: list[Interval] = []
    day = first - ONE_DAY
    while day <= last:
        for span in day_plan(schedule, day).spans:
            begin, end = span.on(day)
            begin, end = max(begin, window_start), min(end, window_end)
            if begin < end:
                raw.append(Interval(begin, end, span.state))
        day += ONE_DAY
    return _flatten(raw)


def _flatten(raw: list[Interval]) -> list[Interval]:
    """Non-overlapping intervals; where spans overlap, OPEN wins over SELF_SERVICE; adjacent
    intervals of the same state are merged. A sweep over the start and end points."""
    if not raw:
        return []
    changes: dict[datetime.datetime, list[int]] = {}
    for interval in raw:
        index = 0 if interval.state == State.OPEN else 1
        changes.setdefault(interval.start, [0, 0])[index] += 1
        changes.setdefault(interval.end, [0, 0])[index] -= 1
    pieces: list[Interval] = []
    staffed = self_service = 0
    cuts = sorted(changes)
    for begin, end in itertools.pairwise(cuts):
        staffed += changes[begin][0]
        self_service += changes[begin][1]
        if staffed:
            state = State.OPEN
        elif self_service:
            state = State.SELF_SERVICE
        else:
            continue
        if pieces and pieces[-1].end == begin and pieces[-1].state == state:
            pieces[-1] = Interval(pieces[-1].start, end, state)
        else:
            pieces.append(Interval(begin, end, state))
    return pieces


def state_at(schedule: Schedule, moment: datetime.datetime) -> State:
    moment = local_now(moment)
    for interval in intervals(schedule, moment.date(), moment.date()):
        if interval.start <= moment < interval.end:
            return interval.state
    return State.CLOSED


def status(
    schedule: Schedule, moment: datetime.datetime, lookahead_days: int = LOOKAHEAD_DAYS
) -> Status:
    """Open now? Until when? When does it next open?

    The timeline is read two days ahead first and further only when needed (a closure of
    weeks). A state open for more than ALWAYS_OPEN_DAYS is reported until the end of the
    window read, with next_state None: callers show it as "24 hours".
    """
    moment = local_now(moment)
    day = moment.date()
    horizons = sorted({min(h, lookahead_days) for h in (2, ALWAYS_OPEN_DAYS + 1, lookahead_days)})
    for horizon in horizons:
        window_end = datetime.datetime.combine(
            day + datetime.timedelta(days=horizon + 1), datetime.time()
        )
        timeline = intervals(schedule, day, day + datetime.timedelta(days=horizon))
        current = next((i for i in timeline if i.start <= moment < i.end), None)
        if current is not None:
            runs_on = current.end >= window_end
            if runs_on and current.end - moment <= datetime.timedelta(days=ALWAYS_OPEN_DAYS):
                continue  # read further to find where it ends
            following = next((i for i in timeline if i.start == current.end), None)
            # None: the state runs on beyond the window read ("24 hours").
            ends_as = None if runs_on else State.CLOSED
            next_state = following.state if following is not None else ends_as
            return Status(current.state, current.end, next_state, None)
        upcoming = next((i for i in timeline if i.start > moment), None)
        if upcoming is not None:
            return Status(State.CLOSED, upcoming.start, upcoming.state, upcoming)
    return Status(State.CLOSED, None, None, None)


def next_opening(
    schedule: Schedule, moment: datetime.datetime, *, staffed: bool = False
) -> datetime.datetime | None:
    """The next moment after `moment` at which the venue opens (staffed only, if asked).
    None when it does not open within the look-ahead."""
    moment = local_now(moment)
    wanted = {State.OPEN} if staffed else {State.OPEN, State.SELF_SERVICE}
    for horizon in (ALWAYS_OPEN_DAYS + 1, LOOKAHEAD_DAYS):
        timeline = intervals(
            schedule, moment.date(), moment.date() + datetime.timedelta(days=horizon)
        )
        previous_end, previous_state = None, None
        for interval in timeline:
            opens = interval.state in wanted and (
                previous_end != interval.start or previous_state not in wanted
            )
            if opens and interval.start > moment:
                return interval.start
            previous_end, previous_state = interval.end, interval.state
    return None


# Weekly figures and labels ----------------------------------------------------------------


def week_coverage(spans: Iterable[Span]) -> dict[State, int]:
    """Minutes per week in each state of a weekly timetable (staffed wins on overlap; a span
    past Sunday midnight wraps to Monday)."""
    monday = datetime.date(2024, 1, 1)  # any Monday
    raw = []
    spans = tuple(spans)
    for offset in range(7):
        day = monday + datetime.timedelta(days=offset)
        for span in _spans_for_weekday(spans, offset):
            begin, end = span.on(day)
            raw.append(Interval(begin, end, span.state))
    week_end = datetime.datetime.combine(monday + 7 * ONE_DAY, datetime.time())
    wrapped = []
    for interval in raw:
        if interval.end > week_end:
            wrapped.append(Interval(interval.start, week_end, interval.state))
            wrapped.append(
                Interval(
                    interval.start - 7 * ONE_DAY + (week_end - interval.start),
                    interval.end - 7 * ONE_DAY,
                    interval.state,
                )
            )
        else:
            wrapped.append(interval)
    totals = {State.OPEN: 0, State.SELF_SERVICE: 0}
    for interval in _flatten(wrapped):
        totals[interval.state] += int((interval.end - interval.start).total_seconds() // 60)
    return totals


@dataclass(frozen=True)
class Labels:
    extended: bool  # 错时延时
    through_lunch: bool  # 午间不间断
    open_on_holidays: bool  # 假日不打烊
    all_day: bool  # 24小时"不打烊"
    staffed_minutes: int
    self_service_minutes: int

    @property
    def staffed_hours(self) -> float:
        return round(self.staffed_minutes / 60, 1)

    @property
    def self_service_hours(self) -> float:
        return round(self.self_service_minutes / 60, 1)


def labels(spans: Iterable[Span], open_on_holidays: bool = False) -> Labels:
    """The derived labels of a regular weekly timetable (definitions at the top)."""
    spans = tuple(spans)
    staffed = [s for s in spans if s.state == State.OPEN]
    extended = any(
        s.start < EXTENDED_BEFORE
        or s.minutes > _minutes_until(s.start, EXTENDED_AFTER)
        or s.weekday is None
        or s.weekday >= 5
        for s in staffed
    )
    weekday_staffed = [wd for wd in range(5) if any(s.applies_to(wd) for s in staffed)]
    through_lunch = bool(weekday_staffed) and all(
        _covers(_spans_for_weekday(staffed, wd), *LUNCH) for wd in weekday_staffed
    )
    coverage = week_coverage(spans)
    all_day = coverage[State.OPEN] + coverage[State.SELF_SERVICE] >= WEEK_MINUTES
    return Labels(
        extended=extended,
        through_lunch=through_lunch,
        open_on_holidays=open_on_holidays,
        all_day=all_day,
        staffed_minutes=coverage[State.OPEN],
        self_service_minutes=coverage[State.SELF_SERVICE],
    )


def _minutes_until(start: datetime.time, end: datetime.time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def _covers(spans: tuple[Span, ...], start: datetime.time, end: datetime.time) -> bool:
    """Do the spans (of one day) cover start–end of that day without a gap?"""
    day = datetime.date(2024, 1, 1)
    want_start = datetime.datetime.combine(day, start)
    want_end = datetime.datetime.combine(day, end)
    reached = want_start
    for span in sorted(spans, key=lambda s: s.start):
        begin, finish = span.on(day)
        if begin <= reached < finish:
            reached = finish
    return reached >= want_end


# Text form: how staff write hours in Excel and how lists show them ------------------------

WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_DAY_ALIASES = {
    "一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6,
}  # fmt: skip
SELF_SERVICE_MARK = "自助"
_TIME = r"(\d{1,2})[:：](\d{2})"
_SPAN = re.compile(rf"^{_TIME}\s*[-–—~～至到]\s*{_TIME}\s*(自助)?$")
_DAYS = re.compile(
    r"^(?:每天|每日|全天|周([一二三四五六日天])(?:\s*[-–—~～至到]\s*周?([一二三四五六日天]))?)$"
)


class HoursSyntaxError(ValueError):
    pass


def parse(text: str) -> tuple[Span, ...]:
    """Read a timetable written as in a spreadsheet cell, e.g.
    "周一至周五 08:30-12:00,14:00-17:30; 周六 09:00-12:00; 每天 00:00-24:00 自助".

    Groups are separated by ; or a new line; a group is days (每天, 周一, 周一至周五) and one or
    more spans separated by commas; a span ends with 自助 when it is self-service. 24:00 ends
    a span at midnight. An empty text is no hours.
    """
    spans: list[Span] = []
    for group in re.split(r"[;；\n]+", (text or "").strip()):
        group = group.strip()
        if not group:
            continue
        head, _sep, rest = group.partition(" ")
        days = _DAYS.match(head.strip())
        if days is None:
            raise HoursSyntaxError(f"“{head}”不是星期（如 周一至周五、周六、每天）")
        if days.group(1) is None:
            weekdays: list[int | None] = [None]
        else:
            first = _DAY_ALIASES[days.group(1)]
            last = _DAY_ALIASES[days.group(2)] if days.group(2) else first
            if last < first:
                raise HoursSyntaxError(f"“{head}”的起止星期颠倒")
            weekdays = list(range(first, last + 1))
        parts = [p.strip() for p in re.split(r"[,，、]+", rest) if p.strip()]
        if not parts:
            raise HoursSyntaxError(f"“{group}”缺少时段（如 08:30-17:30）")
        for part in parts:
            match = _SPAN.match(part)
            if match is None:
                raise HoursSyntaxError(f"“{part}”不是时段（如 08:30-12:00 或 00:00-24:00 自助）")
            start = _time(match.group(1), match.group(2), part)
            end = _time(match.group(3), match.group(4), part)
            state = State.SELF_SERVICE if match.group(5) else State.OPEN
            spans.extend(Span(wd, start, end, state) for wd in weekdays)
    return tuple(spans)


def _time(hour: str, minute: str, part: str) -> datetime.time:
    h, m = int(hour), int(minute)
    if h == 24 and m == 0:
        return datetime.time(0, 0)
    if h > 23 or m > 59:
        raise HoursSyntaxError(f"“{part}”中的时间无效")
    return datetime.time(h, m)


def _fmt_time(t: datetime.time) -> str:
    return t.strftime("%H:%M")


def span_text(span: Span) -> str:
    end = "24:00" if span.end == datetime.time(0, 0) else _fmt_time(span.end)
    text = f"{_fmt_time(span.start)}-{end}"
    return f"{text} {SELF_SERVICE_MARK}" if span.state == State.SELF_SERVICE else text


def format_week(spans: Iterable[Span]) -> str:
    """The inverse of `parse`: consecutive weekdays with the same spans share one group."""
    spans = tuple(spans)
    per_day = [
        tuple(
            span_text(s)
            for s in sorted(
                _spans_for_weekday(spans, wd), key=lambda s: (s.state != State.OPEN, s.start)
            )
        )
        for wd in range(7)
    ]
    if per_day[0] and all(day == per_day[0] for day in per_day):
        return f"每天 {','.join(per_day[0])}"
    groups: list[str] = []
    wd = 0
    while wd < 7:
        last = wd
        while last + 1 < 7 and per_day[last + 1] == per_day[wd]:
            last += 1
        if per_day[wd]:
            days = (
                WEEKDAY_NAMES[wd] if last == wd else f"{WEEKDAY_NAMES[wd]}至{WEEKDAY_NAMES[last]}"
            )
            groups.append(f"{days} {','.join(per_day[wd])}")
        wd = last + 1
    return "; ".join(groups)
