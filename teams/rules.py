"""Small pure rules shared by services, figures and reminders: periods, rankings, policies."""

import calendar
import datetime
from decimal import ROUND_HALF_UP, Decimal

from governance.models import Unit
from teams.models import ScoreCriterion, TeamsPolicy

DEFAULT_POLICY = TeamsPolicy()  # the defaults of a district that has set no rules


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier), clipped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def quarter_of(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_months(year: int, quarter: int) -> list[datetime.date]:
    first = 3 * (quarter - 1) + 1
    return [datetime.date(year, m, 1) for m in range(first, first + 3)]


def half_of(day: datetime.date) -> int:
    return 1 if day.month <= 6 else 2


def half_quarters(half: int) -> tuple[int, int]:
    return (1, 2) if half == 1 else (3, 4)


def half_bounds(year: int, half: int) -> tuple[datetime.date, datetime.date]:
    return (
        (datetime.date(year, 1, 1), datetime.date(year, 6, 30))
        if half == 1
        else (datetime.date(year, 7, 1), datetime.date(year, 12, 31))
    )


def round2(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def competition_ranks(scores: list[Decimal]) -> list[int]:
    """Standard competition ranking ("1224") of scores sorted best first: ties share a rank
    and the next rank skips, so 95, 95, 90 rank 1, 1, 3. Scores compare at two decimals."""
    ranks: list[int] = []
    previous = None
    for position, score in enumerate(scores, start=1):
        value = round2(score)
        if previous is not None and value > previous:
            raise ValueError("Scores must be sorted best first.")
        ranks.append(ranks[-1] if value == previous else position)
        previous = value
    return ranks


def policy_for(unit: Unit) -> TeamsPolicy:
    """The rules of the unit's district; the defaults when the district has set none."""
    district_path = unit.path[: Unit.steplen]
    policy = TeamsPolicy.objects.filter(district__path=district_path).first()
    return policy or DEFAULT_POLICY


def criteria_for(unit: Unit):
    """The scoring criteria in use in the unit's district, in their order."""
    return ScoreCriterion.objects.filter(
        district__path=unit.path[: Unit.steplen], is_active=True
    ).order_by("order", "pk")


def policies_by_district_path() -> dict[str, TeamsPolicy]:
    return {p.district.path: p for p in TeamsPolicy.objects.select_related("district").all()}


def policy_from(policies: dict[str, TeamsPolicy], path: str) -> TeamsPolicy:
    return policies.get(path[: Unit.steplen], DEFAULT_POLICY)


def age_on(birth_date: datetime.date | None, day: datetime.date) -> int | None:
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
