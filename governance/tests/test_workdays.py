"""The working-day calendar, checked against the State Council's 2026 holiday notice."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from governance import workdays
from governance.models import CalendarDay, CalendarSource, CalendarYear
from governance.testing import moment

pytestmark = pytest.mark.django_db

D = datetime.date


def _days(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    return [first + datetime.timedelta(days=i) for i in range((last - first).days + 1)]


@pytest.fixture
def year_2026():
    workdays.load_from_library([2026])


def test_national_day_2026(year_2026):
    # Mid-Autumn Festival 25–27 September, National Day 1–7 October, worked on Sunday 20 September
    # and Saturday 10 October (国务院办公厅 notice for 2026, as chinese_calendar 1.11 has it).
    off = [day for day in _days(D(2026, 9, 19), D(2026, 10, 11)) if not workdays.is_workday(day)]
    assert off == [
        D(2026, 9, 19),  # an ordinary Saturday
        D(2026, 9, 25),
        D(2026, 9, 26),
        D(2026, 9, 27),
        D(2026, 10, 1),
        D(2026, 10, 2),
        D(2026, 10, 3),
        D(2026, 10, 4),
        D(2026, 10, 5),
        D(2026, 10, 6),
        D(2026, 10, 7),
        D(2026, 10, 11),  # an ordinary Sunday
    ]
    assert workdays.is_workday(D(2026, 9, 20)) and workdays.is_workday(D(2026, 10, 10))
    # Only the days that break Monday–Friday are stored, named in Chinese.
    stored = CalendarDay.objects.filter(date__range=(D(2026, 9, 20), D(2026, 10, 10)))
    assert {(row.date, row.kind, row.name) for row in stored} == {
        (D(2026, 9, 20), CalendarDay.Kind.WORKDAY, "国庆节"),
        (D(2026, 9, 25), CalendarDay.Kind.HOLIDAY, "中秋"),
        (D(2026, 10, 1), CalendarDay.Kind.HOLIDAY, "国庆节"),
        (D(2026, 10, 2), CalendarDay.Kind.HOLIDAY, "国庆节"),
        (D(2026, 10, 5), CalendarDay.Kind.HOLIDAY, "国庆节"),
        (D(2026, 10, 6), CalendarDay.Kind.HOLIDAY, "国庆节"),
        (D(2026, 10, 7), CalendarDay.Kind.HOLIDAY, "国庆节"),
        (D(2026, 10, 10), CalendarDay.Kind.WORKDAY, "国庆节"),
    }


def test_spring_festival_2026(year_2026):
    # Off from Sunday 15 to Monday 23 February; Saturdays 14 and 28 February are worked.
    off = [day for day in _days(D(2026, 2, 14), D(2026, 2, 28)) if not workdays.is_workday(day)]
    assert off == [
        D(2026, 2, 15),
        D(2026, 2, 16),
        D(2026, 2, 17),
        D(2026, 2, 18),
        D(2026, 2, 19),
        D(2026, 2, 20),
        D(2026, 2, 21),
        D(2026, 2, 22),
        D(2026, 2, 23),
    ]
    assert workdays.workdays_between(D(2026, 2, 13), D(2026, 2, 28)) == 6


def test_a_deadline_runs_over_national_day(year_2026):
    # Wednesday 30 September + 3: Thursday 8, Friday 9 and the make-up Saturday 10 October.
    assert workdays.add_workdays(D(2026, 9, 30), 3) == D(2026, 10, 10)
    # Friday 18 September + 10 counts Sunday 20 September and skips 25–27 September and 1–7 October.
    assert workdays.add_workdays(D(2026, 9, 18), 10) == D(2026, 10, 9)
    assert workdays.workdays_between(D(2026, 9, 18), D(2026, 10, 9)) == 10
    assert workdays.workdays_between(D(2026, 10, 9), D(2026, 9, 18)) == -10
    # The start day never counts, even on a holiday; zero working days is the start itself.
    assert workdays.add_workdays(D(2026, 10, 3), 1) == D(2026, 10, 8)
    assert workdays.add_workdays(D(2026, 10, 3), 0) == D(2026, 10, 3)
    assert workdays.unknown_years(D(2026, 9, 18), D(2026, 10, 9)) == []


def test_a_year_the_table_does_not_know_falls_back_to_weekdays(year_2026):
    assert workdays.year_known(2026) and not workdays.year_known(2027)
    due = workdays.add_workdays(D(2026, 12, 30), 3)
    # Thursday 31 December, then Friday 1 and Monday 4 January 2027 on plain weekdays.
    assert due == D(2027, 1, 4)
    assert workdays.unknown_years(D(2026, 12, 30), due) == [2027]


def test_days_entered_by_hand_override_the_fallback(year_2026):
    CalendarDay.objects.create(date=D(2027, 1, 1), kind=CalendarDay.Kind.HOLIDAY, name="元旦")
    assert workdays.add_workdays(D(2026, 12, 30), 3) == D(2027, 1, 5)
    # The days apply at once; the warning stays until the whole year is marked known.
    assert workdays.unknown_years(D(2026, 12, 30), D(2027, 1, 5)) == [2027]
    CalendarYear.objects.create(year=2027)
    assert workdays.unknown_years(D(2026, 12, 30), D(2027, 1, 5)) == []


def test_a_day_that_changes_nothing_is_refused():
    with pytest.raises(ValidationError):
        CalendarDay(date=D(2027, 10, 2), kind=CalendarDay.Kind.HOLIDAY).full_clean()
    with pytest.raises(ValidationError):
        CalendarDay(date=D(2027, 9, 27), kind=CalendarDay.Kind.WORKDAY).full_clean()
    CalendarDay(date=D(2027, 9, 26), kind=CalendarDay.Kind.WORKDAY, name="国庆节").full_clean()


def test_work_hours_stop_over_the_weekend(year_2026):
    # Friday 16 October 16:00 + 24 hours: 8 on Friday, none at the weekend, 16 on Monday.
    assert workdays.add_work_hours(moment(2026, 10, 16, 16), 24) == moment(2026, 10, 19, 16)
    # Friday 9 October runs on into the make-up Saturday.
    assert workdays.add_work_hours(moment(2026, 10, 9, 16), 24) == moment(2026, 10, 10, 16)
    # Received on a holiday, the clock starts when the next working day does.
    assert workdays.add_work_hours(moment(2026, 10, 3, 10), 2) == moment(2026, 10, 8, 2)
    # Used up exactly at midnight: the deadline is the end of that working day.
    assert workdays.add_work_hours(moment(2026, 10, 16, 16), 8) == moment(2026, 10, 17, 0)


@pytest.mark.parametrize(
    ("hours_used", "expected"),
    [(0, "green"), (69, "green"), (70, "yellow"), (99, "yellow"), (100, "red"), (130, "red")],
)
def test_traffic_light_by_share_of_working_time(year_2026, hours_used, expected):
    start = moment(2026, 9, 29, 9)  # the limit runs over National Day
    deadline = workdays.add_work_hours(start, 100)
    now = workdays.add_work_hours(start, hours_used)
    assert workdays.light(start, deadline, now) == expected


def test_traffic_light_on_working_days(year_2026, settings):
    # Received 30 September, due in 3 working days: 8, 9 and 10 October, 72 hours of work.
    start, due = D(2026, 9, 30), D(2026, 10, 10)
    assert workdays.light(start, due, moment(2026, 10, 5, 12)) == "green"  # a holiday uses nothing
    assert workdays.light(start, due, moment(2026, 10, 10, 2)) == "green"  # 50 of 72 hours
    assert workdays.light(start, due, moment(2026, 10, 10, 3)) == "yellow"  # 51 of 72 hours
    assert workdays.light(start, due, moment(2026, 10, 10, 23, 59)) == "yellow"  # the due day
    assert workdays.light(start, due, moment(2026, 10, 11, 0)) == "red"
    settings.SHANZHI_YELLOW_SHARE = 0.8
    assert workdays.light(start, due, moment(2026, 10, 10, 3)) == "green"
    assert workdays.light(start, due, moment(2026, 10, 10, 3), yellow_share=0.5) == "yellow"


def test_working_day_arithmetic_costs_a_query_per_year(year_2026, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        assert workdays.add_workdays(D(2026, 9, 14), 20) == D(2026, 10, 16)
    with django_assert_max_num_queries(2):
        assert workdays.workdays_between(D(2026, 12, 15), D(2027, 1, 13)) == 21
    # One calendar shared by a whole list: the days of 2026 and 2027 and the known years.
    calendar = workdays.WorkCalendar()
    with django_assert_max_num_queries(3):
        for day in _days(D(2026, 1, 1), D(2026, 12, 31)):
            due = workdays.add_workdays(day, 20, calendar=calendar)
            workdays.light(day, due, moment(2026, 12, 1), calendar=calendar)
            workdays.unknown_years(day, due, calendar=calendar)


def test_loading_is_idempotent_and_keeps_days_entered_by_hand():
    CalendarDay.objects.create(date=D(2025, 12, 31), kind=CalendarDay.Kind.HOLIDAY, name="单位调整")
    out = StringIO()
    call_command("load_holidays", "--years", "2025", "2026", stdout=out)
    assert "created" in out.getvalue()
    rows = set(CalendarDay.objects.values_list("date", "kind", "name", "source"))
    assert set(CalendarYear.objects.values_list("year", "source")) == {
        (2025, CalendarSource.LIBRARY),
        (2026, CalendarSource.LIBRARY),
    }
    # A library day lost, one renamed, one the package no longer lists: a reload repairs all three.
    CalendarDay.objects.filter(date=D(2026, 10, 7)).delete()
    CalendarDay.objects.filter(date=D(2026, 10, 6)).update(name="改名")
    CalendarDay.objects.create(
        date=D(2026, 3, 2), kind=CalendarDay.Kind.HOLIDAY, source=CalendarSource.LIBRARY
    )
    assert workdays.load_from_library([2025, 2026]) == {"created": 1, "updated": 1, "removed": 1}
    assert set(CalendarDay.objects.values_list("date", "kind", "name", "source")) == rows
    assert (D(2025, 12, 31), "holiday", "单位调整", "manual") in rows
    # 2025 and 2026 each: the weekday holidays plus the weekend make-up days.
    assert CalendarDay.objects.filter(source=CalendarSource.LIBRARY).count() == 18 + 5 + 19 + 6


def test_a_year_the_package_does_not_know_is_refused():
    with pytest.raises(CommandError, match="2027"):
        call_command("load_holidays", "--years", "2027", stdout=StringIO())
    assert not CalendarYear.objects.exists()


def test_deadline_and_warn_moment_agree_with_light(year_2026):
    start = timezone.make_aware(datetime.datetime(2026, 9, 30, 10, 0))
    due = workdays.deadline(start, 3, "workday")
    # Wednesday 30 September + 3 working days: 8, 9 and Saturday 10 October (调休).
    assert timezone.localtime(due) == timezone.make_aware(datetime.datetime(2026, 10, 11))
    warn = workdays.warn_moment(start, due)
    assert workdays.light(start, due, warn - datetime.timedelta(minutes=1)) == "green"
    assert workdays.light(start, due, warn) == "yellow"
    assert workdays.light(start, due, due) == "red"
    assert workdays.deadline(start, 5, "hour") == start + datetime.timedelta(hours=5)
