"""Public-holiday days (holiday runs with their weekends) and make-up working days."""

import datetime

import pytest

from governance.models import CalendarDay, CalendarSource
from governance.workdays import holidays_between, load_from_library, makeup_workdays_between

D = datetime.date


@pytest.fixture
def calendar_2026(db):
    load_from_library([2026])


def test_national_day_includes_its_weekend(calendar_2026):
    days = holidays_between(D(2026, 9, 28), D(2026, 10, 12))
    assert sorted(days) == [D(2026, 10, d) for d in range(1, 8)]
    assert days[D(2026, 10, 3)] == days[D(2026, 10, 1)]
    assert days[D(2026, 10, 1)]


def test_ordinary_weekend_is_not_a_holiday(calendar_2026):
    assert holidays_between(D(2026, 11, 1), D(2026, 11, 30)) == {}


def test_run_crossing_the_range_edge_is_found(calendar_2026):
    # Only Sunday 4 October asked: it belongs to National Day because its run holds 1 October.
    assert list(holidays_between(D(2026, 10, 4), D(2026, 10, 4))) == [D(2026, 10, 4)]


def test_mid_autumn_friday_takes_its_weekend(calendar_2026):
    days = holidays_between(D(2026, 9, 24), D(2026, 9, 28))
    assert sorted(days) == [D(2026, 9, 25), D(2026, 9, 26), D(2026, 9, 27)]


def test_hand_entered_holiday_counts(db):
    CalendarDay.objects.create(
        date=D(2031, 5, 2),
        kind=CalendarDay.Kind.HOLIDAY,
        name="劳动节",
        source=CalendarSource.MANUAL,
    )
    days = holidays_between(D(2031, 4, 28), D(2031, 5, 6))
    # Friday 2 May plus the weekend after it.
    assert days == {D(2031, 5, 2): "劳动节", D(2031, 5, 3): "劳动节", D(2031, 5, 4): "劳动节"}


def test_makeup_workdays_are_worked_weekends(calendar_2026):
    assert makeup_workdays_between(D(2026, 9, 1), D(2026, 10, 31)) == {
        D(2026, 9, 20),
        D(2026, 10, 10),
    }


def test_empty_range(calendar_2026):
    assert holidays_between(D(2026, 10, 5), D(2026, 10, 1)) == {}
