"""Figures of the venues (sites) part, per unit and period; pages, exports and dashboards call
these functions so a figure is the same everywhere.

Definitions
- Venues: active venues whose unit lies in the unit's subtree, as they are now (a venue is a
  place, not an event of the period). Each count drills down to the venue list with the same
  filter (`drill` gives the query string): by kind, open on holidays (假日不打烊), 24 hours
  (the regular week is covered every minute, staffed or self-service), staggered and extended
  hours (错时延时: a staffed span before 08:30, after 18:00 or on a weekend), open through lunch
  (午间不间断).
- Hours offered: the sum and the mean of the venues' staffed hours per regular week, and their
  self-service hours (derived from the weekly spans, overriding periods and holidays aside).
- Service requests: assisted and proxy requests received at those venues from `start` to `end`
  (local dates, both included), by kind and status; "followed up" are those turned into a
  ledger item. They drill down to the request list with the same dates.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from governance.models import Unit
from venues.models import RequestKind, RequestStatus, ServiceRequest, Venue

LABEL_FILTERS = {
    "holidays": Q(open_on_holidays=True),
    "all_day": Q(is_all_day=True),
    "extended": Q(is_extended=True),
    "lunch": Q(is_through_lunch=True),
}


@dataclass
class SitesFigures:
    unit: Unit
    start: datetime.date
    end: datetime.date
    venues: int = 0
    by_kind: list[dict] = field(default_factory=list)
    open_on_holidays: int = 0
    all_day: int = 0
    extended: int = 0
    through_lunch: int = 0
    weekly_hours: Decimal = Decimal(0)
    self_service_hours: Decimal = Decimal(0)
    requests: int = 0
    requests_by_kind: dict[str, int] = field(default_factory=dict)
    requests_by_status: dict[str, int] = field(default_factory=dict)
    followed_up: int = 0

    @property
    def mean_weekly_hours(self) -> Decimal:
        if not self.venues:
            return Decimal(0)
        return (self.weekly_hours / self.venues).quantize(Decimal("0.1"))


def venues_of(unit: Unit, user=None):
    venues = Venue.objects.within(unit).filter(is_active=True)
    return venues.for_user(user) if user is not None else venues


def requests_of(unit: Unit, start: datetime.date, end: datetime.date, user=None):
    tz = timezone.get_current_timezone()
    begin = datetime.datetime.combine(start, datetime.time(), tzinfo=tz)
    finish = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), tzinfo=tz)
    requests = ServiceRequest.objects.filter(
        venue__unit__path__startswith=unit.path, received_at__gte=begin, received_at__lt=finish
    )
    return requests.for_user(user) if user is not None else requests


def figures(unit: Unit, start: datetime.date, end: datetime.date, *, user=None) -> SitesFigures:
    """Three queries whatever the number of venues and requests."""
    result = SitesFigures(unit=unit, start=start, end=end)
    venues = venues_of(unit, user)
    totals = venues.aggregate(
        venues=Count("pk"),
        open_on_holidays=Count("pk", filter=LABEL_FILTERS["holidays"]),
        all_day=Count("pk", filter=LABEL_FILTERS["all_day"]),
        extended=Count("pk", filter=LABEL_FILTERS["extended"]),
        through_lunch=Count("pk", filter=LABEL_FILTERS["lunch"]),
        weekly_hours=Sum("weekly_hours"),
        self_service_hours=Sum("self_service_hours"),
    )
    for key, value in totals.items():
        setattr(result, key, value or (Decimal(0) if "hours" in key else 0))
    result.by_kind = list(
        venues.values("kind_id", "kind__name", "kind__order")
        .annotate(count=Count("pk"))
        .order_by("kind__order", "kind__name")
    )
    requests = requests_of(unit, start, end, user).aggregate(
        total=Count("pk"),
        followed_up=Count("pk", filter=Q(ledger_item__isnull=False)),
        **{f"kind_{k}": Count("pk", filter=Q(kind=k)) for k in RequestKind.values},
        **{f"status_{s}": Count("pk", filter=Q(status=s)) for s in RequestStatus.values},
    )
    result.requests = requests["total"]
    result.followed_up = requests["followed_up"]
    result.requests_by_kind = {k: requests[f"kind_{k}"] for k in RequestKind.values}
    result.requests_by_status = {s: requests[f"status_{s}"] for s in RequestStatus.values}
    return result
