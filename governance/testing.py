"""The one clock helper of the tests: moments in the site's time zone, and the clock stopped
at one. Imported by tests only (time-machine is a development dependency)."""

import datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")  # settings.TIME_ZONE


def moment(year_or_day, *args) -> datetime.datetime:
    """An aware Asia/Shanghai moment: `moment(2026, 3, 9, 10)` or `moment(date(2026, 3, 9), 10)`
    (hour and minute default to midnight); a datetime is taken as it is (naive: Shanghai)."""
    if isinstance(year_or_day, datetime.datetime) and not args:
        return year_or_day if year_or_day.tzinfo else year_or_day.replace(tzinfo=SHANGHAI)
    if isinstance(year_or_day, datetime.date):
        day = year_or_day
        return datetime.datetime(day.year, day.month, day.day, *args, tzinfo=SHANGHAI)
    return datetime.datetime(year_or_day, *args, tzinfo=SHANGHAI)


def frozen(*args):
    """The clock stopped at `moment(*args)`, as a context manager or decorator."""
    import time_machine

    return time_machine.travel(moment(*args), tick=False)
