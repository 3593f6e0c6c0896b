"""governance.periods: the one Period and what a page's preset, a calendar kind and the period
before mean."""

import datetime

from governance import periods
from governance.periods import Period

D = datetime.date


def test_a_period_includes_its_start_and_excludes_its_end():
    march = Period("month", D(2026, 3, 1), D(2026, 4, 1))
    assert march.last == D(2026, 3, 31)
    assert march.days == 31
    assert D(2026, 3, 1) in march and D(2026, 3, 31) in march and D(2026, 4, 1) not in march


def test_the_calendar_period_containing_a_day():
    day = D(2026, 8, 13)  # a Thursday
    assert periods.containing("week", day) == Period("week", D(2026, 8, 10), D(2026, 8, 17))
    assert periods.containing("month", day) == Period("month", D(2026, 8, 1), D(2026, 9, 1))
    assert periods.containing("quarter", day) == Period("quarter", D(2026, 7, 1), D(2026, 10, 1))
    assert periods.containing("half", day) == Period("half", D(2026, 7, 1), D(2027, 1, 1))
    assert periods.containing("year", day) == Period("year", D(2026, 1, 1), D(2027, 1, 1))
    december = periods.containing("month", D(2026, 12, 31))
    assert (december.start, december.last) == (D(2026, 12, 1), D(2026, 12, 31))


def test_presets_mean_what_they_say_on_a_day():
    today = D(2026, 1, 5)
    assert periods.period("last_month", today) == Period(
        "last_month", D(2025, 12, 1), D(2026, 1, 1)
    )
    assert periods.period("nonsense", today) == periods.containing("month", today)
    assert periods.period("custom", today) == periods.containing("month", today)  # no days
    assert periods.period("custom", today, D(2026, 3, 9), D(2026, 3, 2)) == Period(
        "custom", D(2026, 3, 2), D(2026, 3, 10)
    )
    assert periods.month_start(today, -1) == D(2025, 12, 1)
    assert periods.month_start(today, 12) == D(2027, 1, 1)


def test_the_period_before():
    assert periods.previous(periods.containing("quarter", D(2026, 2, 1))) == Period(
        "quarter", D(2025, 10, 1), D(2026, 1, 1)
    )
    assert periods.previous(periods.containing("week", D(2026, 3, 2))).start == D(2026, 2, 23)
    custom = periods.custom(D(2026, 3, 1), D(2026, 3, 10))
    assert periods.previous(custom) == Period("custom", D(2026, 2, 19), D(2026, 3, 1))
    # While running: cut to the days passed, today included.
    month = periods.containing("month", D(2026, 12, 3))
    assert periods.previous(month, D(2026, 12, 3)) == Period(
        "month", D(2026, 11, 1), D(2026, 11, 4)
    )
