"""The opening-hours engine, without the database."""

import datetime

import pytest

from venues.hours import (
    DatedHours,
    DaySource,
    HoursSyntaxError,
    Schedule,
    Span,
    State,
    day_plan,
    format_week,
    labels,
    local_now,
    next_opening,
    parse,
    state_at,
    status,
    week_coverage,
)

D = datetime.date
T = datetime.time
DT = datetime.datetime

# A community centre: Monday–Friday 08:30–12:00 and 14:00–17:30, Saturday morning.
CENTRE = parse("周一至周五 08:30-12:00,14:00-17:30; 周六 09:00-12:00")
NATIONAL_DAY = {D(2026, 10, d): "国庆节" for d in range(1, 8)}


def test_lunch_break_is_closed_and_spans_are_open():
    schedule = Schedule(regular=CENTRE)
    monday = D(2026, 11, 2)
    assert state_at(schedule, DT.combine(monday, T(8, 29))) == State.CLOSED
    assert state_at(schedule, DT.combine(monday, T(8, 30))) == State.OPEN
    assert state_at(schedule, DT.combine(monday, T(12, 30))) == State.CLOSED
    assert state_at(schedule, DT.combine(monday, T(17, 29))) == State.OPEN
    assert state_at(schedule, DT.combine(monday, T(17, 30))) == State.CLOSED
    assert state_at(schedule, DT(2026, 11, 8, 10)) == State.CLOSED  # Sunday


def test_aware_moment_is_read_in_shanghai():
    schedule = Schedule(regular=CENTRE)
    # 01:00 UTC is 09:00 in Shanghai on Monday 2 November 2026.
    moment = DT(2026, 11, 2, 1, 0, tzinfo=datetime.UTC)
    assert local_now(moment) == DT(2026, 11, 2, 9, 0)
    assert state_at(schedule, moment) == State.OPEN


def test_span_past_midnight_belongs_to_its_start_day():
    # Friday and Saturday evenings until 02:00.
    schedule = Schedule(regular=parse("周五至周六 18:00-02:00"))
    assert state_at(schedule, DT(2026, 11, 7, 1, 30)) == State.OPEN  # Saturday 01:30 (Friday's)
    assert state_at(schedule, DT(2026, 11, 8, 1, 30)) == State.OPEN  # Sunday 01:30 (Saturday's)
    assert state_at(schedule, DT(2026, 11, 9, 1, 30)) == State.CLOSED  # Monday 01:30
    assert state_at(schedule, DT(2026, 11, 6, 2, 0)) == State.CLOSED  # Friday 02:00: Thursday none
    assert day_plan(schedule, D(2026, 11, 8)).closed  # Sunday starts no span


def test_span_past_midnight_into_a_holiday_keeps_running():
    # The span started on an ordinary Wednesday evening; the holiday closes Thursday's own spans.
    schedule = Schedule(regular=parse("每天 20:00-02:00"), holidays=NATIONAL_DAY)
    assert state_at(schedule, DT(2026, 10, 1, 1, 0)) == State.OPEN
    assert state_at(schedule, DT(2026, 10, 1, 21, 0)) == State.CLOSED


def test_override_period_replaces_regular_hours():
    summer = DatedHours(D(2026, 7, 1), D(2026, 8, 31), parse("周一至周五 08:00-12:00,15:00-18:30"))
    schedule = Schedule(regular=CENTRE, periods=(summer,))
    monday = D(2026, 7, 6)
    assert state_at(schedule, DT.combine(monday, T(14, 30))) == State.CLOSED
    assert state_at(schedule, DT.combine(monday, T(18, 0))) == State.OPEN
    # Saturday has no span in the period: the period closes it.
    assert day_plan(schedule, D(2026, 7, 11)).closed
    assert day_plan(schedule, D(2026, 7, 11)).source == DaySource.PERIOD
    # After the period the regular hours are back.
    assert state_at(schedule, DT(2026, 9, 5, 10)) == State.OPEN


def test_shortest_overriding_period_wins():
    summer = DatedHours(D(2026, 7, 1), D(2026, 8, 31), parse("每天 08:00-20:00"), "夏季")
    closure = DatedHours(D(2026, 7, 20), D(2026, 7, 26), (), "设备检修")
    one_day = DatedHours(D(2026, 7, 22), D(2026, 7, 22), parse("每天 09:00-11:00"), "临时开放")
    schedule = Schedule(regular=CENTRE, periods=(one_day, summer, closure))
    assert state_at(schedule, DT(2026, 7, 15, 19)) == State.OPEN  # summer
    assert day_plan(schedule, D(2026, 7, 21)).reason == "设备检修"
    assert state_at(schedule, DT(2026, 7, 21, 10)) == State.CLOSED  # closure beats summer
    assert state_at(schedule, DT(2026, 7, 22, 10)) == State.OPEN  # one day beats closure
    assert state_at(schedule, DT(2026, 7, 22, 12)) == State.CLOSED


def test_equally_short_periods_later_start_then_order_wins():
    a = DatedHours(D(2026, 7, 1), D(2026, 7, 3), parse("每天 09:00-10:00"), "a", order=1)
    b = DatedHours(D(2026, 7, 2), D(2026, 7, 4), parse("每天 15:00-16:00"), "b", order=2)
    c = DatedHours(D(2026, 7, 2), D(2026, 7, 4), parse("每天 17:00-18:00"), "c", order=3)
    assert day_plan(Schedule(periods=(a, b)), D(2026, 7, 2)).reason == "b"
    assert day_plan(Schedule(periods=(c, b)), D(2026, 7, 2)).reason == "c"


def test_holiday_closes_a_venue_not_open_on_holidays():
    schedule = Schedule(regular=parse("每天 08:30-17:30"), holidays=NATIONAL_DAY)
    assert state_at(schedule, DT(2026, 10, 1, 10)) == State.CLOSED
    plan = day_plan(schedule, D(2026, 10, 3))
    assert plan.closed and plan.source == DaySource.HOLIDAY and plan.reason == "国庆节"
    assert state_at(schedule, DT(2026, 10, 8, 10)) == State.OPEN


def test_holiday_closes_only_the_staffed_spans_of_a_self_service_station():
    # A red station staffed 09:00–17:00 and self-service around the clock, not 假日不打烊.
    schedule = Schedule(
        regular=parse("每天 09:00-17:00; 每天 00:00-24:00 自助"), holidays=NATIONAL_DAY
    )
    assert state_at(schedule, DT(2026, 10, 1, 10)) == State.SELF_SERVICE
    assert state_at(schedule, DT(2026, 10, 1, 23)) == State.SELF_SERVICE
    plan = day_plan(schedule, D(2026, 10, 1))
    assert plan.source == DaySource.HOLIDAY and plan.reason == "国庆节"
    assert [span.state for span in plan.spans] == [State.SELF_SERVICE]
    assert state_at(schedule, DT(2026, 10, 8, 10)) == State.OPEN


def test_open_on_holidays_keeps_regular_hours():
    schedule = Schedule(
        regular=parse("每天 08:30-17:30"), holidays=NATIONAL_DAY, open_on_holidays=True
    )
    assert state_at(schedule, DT(2026, 10, 1, 10)) == State.OPEN
    assert day_plan(schedule, D(2026, 10, 1)).reason == "国庆节"


def test_period_beats_the_holiday_rule():
    special = DatedHours(D(2026, 10, 1), D(2026, 10, 7), parse("每天 09:00-12:00"), "国庆值班")
    schedule = Schedule(regular=CENTRE, periods=(special,), holidays=NATIONAL_DAY)
    assert state_at(schedule, DT(2026, 10, 2, 10)) == State.OPEN
    assert state_at(schedule, DT(2026, 10, 2, 15)) == State.CLOSED


def test_makeup_workday_borrows_monday_when_normally_closed():
    schedule = Schedule(regular=CENTRE, makeup_days=frozenset({D(2026, 9, 20)}))  # a Sunday
    plan = day_plan(schedule, D(2026, 9, 20))
    assert plan.source == DaySource.MAKEUP
    assert state_at(schedule, DT(2026, 9, 20, 15)) == State.OPEN
    assert state_at(schedule, DT(2026, 9, 27, 15)) == State.CLOSED  # an ordinary Sunday


def test_makeup_workday_borrows_the_configured_weekday():
    regular = parse("周一 09:00-10:00; 周三 14:00-16:00")
    schedule = Schedule(regular=regular, makeup_days=frozenset({D(2026, 9, 20)}), makeup_weekday=2)
    assert state_at(schedule, DT(2026, 9, 20, 15)) == State.OPEN
    assert state_at(schedule, DT(2026, 9, 20, 9, 30)) == State.CLOSED


def test_makeup_saturday_keeps_its_own_saturday_hours():
    schedule = Schedule(regular=CENTRE, makeup_days=frozenset({D(2026, 10, 10)}))  # a Saturday
    plan = day_plan(schedule, D(2026, 10, 10))
    assert plan.source == DaySource.REGULAR
    assert state_at(schedule, DT(2026, 10, 10, 15)) == State.CLOSED


def test_twenty_four_hours_and_self_service():
    # A red station: staffed 9:00–17:00, self-service the rest of the day, every day.
    station = parse("每天 09:00-17:00; 每天 00:00-24:00 自助")
    schedule = Schedule(regular=station)
    assert state_at(schedule, DT(2026, 11, 3, 3)) == State.SELF_SERVICE
    assert state_at(schedule, DT(2026, 11, 3, 10)) == State.OPEN
    assert state_at(schedule, DT(2026, 11, 3, 17)) == State.SELF_SERVICE
    now = status(schedule, DT(2026, 11, 3, 10))
    assert now.state == State.OPEN and now.until == DT(2026, 11, 3, 17)
    assert now.next_state == State.SELF_SERVICE
    tag = labels(station)
    assert tag.all_day and tag.staffed_hours == 56 and tag.self_service_hours == 112


def test_all_day_staffed_is_one_open_interval():
    schedule = Schedule(regular=parse("每天 00:00-24:00"))
    now = status(schedule, DT(2026, 11, 3, 3))
    assert now.state == State.OPEN
    assert now.until - DT(2026, 11, 3, 3) > datetime.timedelta(days=7)
    assert labels(schedule.regular).all_day


def test_next_opening_across_a_weekend():
    schedule = Schedule(regular=parse("周一至周五 08:30-12:00,14:00-17:30"))
    friday_evening = DT(2026, 11, 6, 18)
    assert next_opening(schedule, friday_evening) == DT(2026, 11, 9, 8, 30)
    now = status(schedule, friday_evening)
    assert now.state == State.CLOSED and now.next_opening.start == DT(2026, 11, 9, 8, 30)
    # At lunch, the afternoon.
    assert next_opening(schedule, DT(2026, 11, 9, 12, 5)) == DT(2026, 11, 9, 14)


def test_next_opening_skips_a_holiday_week():
    schedule = Schedule(regular=CENTRE, holidays=NATIONAL_DAY)
    assert next_opening(schedule, DT(2026, 9, 30, 18)) == DT(2026, 10, 8, 8, 30)


def test_next_staffed_opening_skips_self_service():
    schedule = Schedule(regular=parse("周一至周五 09:00-17:00; 每天 00:00-24:00 自助"))
    saturday = DT(2026, 11, 7, 10)
    assert state_at(schedule, saturday) == State.SELF_SERVICE
    assert next_opening(schedule, saturday, staffed=True) == DT(2026, 11, 9, 9)


def test_never_opens():
    now = status(Schedule(), DT(2026, 11, 3, 10))
    assert now.state == State.CLOSED and now.until is None and now.next_opening is None


def test_labels():
    centre = labels(CENTRE)
    assert centre.extended  # Saturday is staffed
    assert not centre.through_lunch
    assert centre.staffed_hours == 35 + 3
    weekday_only = labels(parse("周一至周五 08:30-17:30"))
    assert weekday_only.through_lunch and not weekday_only.extended
    assert labels(parse("周一至周五 08:30-18:30")).extended
    assert labels(parse("周一至周五 08:00-17:00")).extended
    # Through lunch needs every staffed weekday unbroken at noon.
    assert not labels(parse("周一 08:30-17:30; 周二 08:30-12:00,13:00-17:30")).through_lunch
    assert labels(parse("周一 08:30-12:30,12:30-17:30")).through_lunch
    assert not labels(()).through_lunch
    assert labels((), open_on_holidays=True).open_on_holidays


def test_self_service_alone_is_not_extended():
    assert not labels(parse("每天 17:00-09:00 自助")).extended


def test_week_coverage_wraps_sunday_night():
    totals = week_coverage(parse("周日 22:00-02:00"))
    assert totals[State.OPEN] == 4 * 60


def test_overlapping_spans_count_once():
    totals = week_coverage(parse("周一 08:00-12:00,10:00-14:00; 周一 00:00-24:00 自助"))
    assert totals[State.OPEN] == 6 * 60 and totals[State.SELF_SERVICE] == 18 * 60


@pytest.mark.parametrize(
    "text",
    [
        "周一至周五 08:30-12:00,14:00-17:30; 周六 09:00-12:00",
        "每天 00:00-24:00",
        "每天 09:00-17:00,00:00-24:00 自助",
        "周一 08:30-17:30; 周三 08:30-17:30; 周五至周日 18:00-02:00",
    ],
)
def test_text_round_trip(text):
    def per_weekday(spans):
        return {
            (wd, s.start, s.end, s.state)
            for s in spans
            for wd in ([s.weekday] if s.weekday is not None else range(7))
        }

    spans = parse(text)
    assert per_weekday(parse(format_week(spans))) == per_weekday(spans)


def test_parse_accepts_full_width_and_aliases():
    spans = parse("周一到周三 08：30~12:00；周日 09:00-11:00")
    assert {s.weekday for s in spans} == {0, 1, 2, 6}
    assert spans[0].start == T(8, 30)


@pytest.mark.parametrize(
    "text", ["周八 09:00-10:00", "周一 9-10", "周五至周一 09:00-10:00", "周一", "周一 25:00-26:00"]
)
def test_parse_rejects(text):
    with pytest.raises(HoursSyntaxError):
        parse(text)


def test_bad_values_rejected():
    with pytest.raises(ValueError):
        Span(7, T(9), T(10))
    with pytest.raises(ValueError):
        DatedHours(D(2026, 7, 2), D(2026, 7, 1))
    with pytest.raises(ValueError):
        Span(0, T(9), T(10), State.CLOSED)


def test_long_closure_next_opening_is_found():
    closure = DatedHours(D(2026, 11, 2), D(2026, 11, 30), (), "装修闭馆")
    schedule = Schedule(regular=CENTRE, periods=(closure,))
    now = status(schedule, DT(2026, 11, 3, 10))
    assert now.state == State.CLOSED
    assert now.next_opening.start == DT(2026, 12, 1, 8, 30)
    assert next_opening(schedule, DT(2026, 11, 3, 10)) == DT(2026, 12, 1, 8, 30)


def test_open_for_days_ends_where_it_ends():
    # Open from Friday 18:00 to Monday 08:00 without a break: not "24 hours".
    weekend = parse("周五 18:00-00:00; 周六至周日 00:00-24:00; 周一 00:00-08:00")
    now = status(Schedule(regular=weekend), DT(2026, 11, 6, 19))
    assert now.until == DT(2026, 11, 9, 8) and now.next_state == State.CLOSED
    always = status(Schedule(regular=parse("每天 00:00-24:00")), DT(2026, 11, 6, 19))
    assert always.next_state is None
