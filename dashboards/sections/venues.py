"""Venues (党群服务中心/站点) and their activities: the figures of venues/figures_sites.py and
venues/figures_activities.py for the unit's subtree and the period, per child, the activities
already held without attendance recorded, and the monthly and weekly trend of activities and
person-times.

Figures
- venues: active venues of the subtree as they are now (a venue is a place, not an event of the
  period: current, no previous value) → the venue list ?unit=.
- activities: activities (not cancelled) starting in the period at venues of the subtree
  (figures_activities.held_in) → the activity list with figures_activities.drilldown_query
  (?unit=&from=&to=&held=1).
- person_times: the sum of the attendance recorded for those activities (an activity without
  attendance adds nothing) → the same activity list (the rows it adds up).
- requests: assisted and proxy service requests received in the period at venues of the subtree
  (figures_sites.requests_of) → the request list ?unit=&from=&to=.

Attention: activities of the period that have started and have no attendance recorded yet →
the activity list ?unit=&from=&to=&status=no_attendance (exactly those rows).

Queries (fixed): venues grouped by child, activities of the period grouped by child (their
count, person-times and those without attendance), requests grouped by child, the previous
period's activities and requests (one aggregate each, when compared), and the trend (one query
grouped by day, bucketed here) — six at most, whatever the number of children and rows.
"""

from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dashboards.sections.base import (
    SUM,
    Attention,
    Context,
    Figure,
    Result,
    Section,
    child_row,
    trend,
    trend_start,
)
from venues.figures import activities as figures_activities
from venues.figures import sites as figures_sites


def _venue_counts(ctx: Context) -> dict[str, int]:
    rows = (
        figures_sites.venues_of(ctx.unit)
        .annotate(branch=ctx.branch())
        .values("branch")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["branch"]: row["n"] for row in rows}


def _activity_aggregates(ctx: Context) -> dict:
    return {
        "activities": Count("pk"),
        "person_times": Sum("attendance"),
        "no_attendance": Count("pk", filter=Q(attendance__isnull=True, starts_at__lte=ctx.now)),
    }


def _activity_counts(ctx: Context) -> dict[str, dict]:
    rows = (
        figures_activities.held_in(ctx.unit, ctx.period.start, ctx.period.last)
        .annotate(branch=ctx.branch())
        .values("branch")
        .annotate(**_activity_aggregates(ctx))
        .order_by()
    )
    return {row["branch"]: row for row in rows}


def _request_counts(ctx: Context) -> dict[str, int]:
    rows = (
        figures_sites.requests_of(ctx.unit, ctx.period.start, ctx.period.last)
        .annotate(branch=ctx.branch("venue__unit__path"))
        .values("branch")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["branch"]: row["n"] for row in rows}


def _previous(ctx: Context) -> dict:
    start, last = ctx.previous.start, ctx.previous.last
    activities = (
        figures_activities.held_in(ctx.unit, start, last)
        .order_by()
        .aggregate(n=Count("pk"), people=Sum("attendance"))
    )
    requests = figures_sites.requests_of(ctx.unit, start, last).order_by().count()
    return {
        "activities": activities["n"],
        "person_times": activities["people"] or 0,
        "requests": requests,
    }


def _links(unit, period) -> dict:
    activities = (
        f"{reverse('venues:activity-list')}?"
        f"{figures_activities.drilldown_query(unit, period.start, period.last)}"
    )
    requests = urlencode(
        {"unit": unit.pk, "from": period.start.isoformat(), "to": period.last.isoformat()}
    )
    return {
        "venues": f"{reverse('venues:venue-list')}?{urlencode({'unit': unit.pk})}",
        "activities": activities,
        "person_times": activities,
        "requests": f"{reverse('venues:request-list')}?{requests}",
    }


def _values(venues: int, activities: dict | None, requests: int) -> dict:
    activities = activities or {}
    return {
        "venues": venues,
        "activities": activities.get("activities", 0),
        "person_times": activities.get("person_times") or 0,
        "requests": requests,
    }


def _trend(ctx: Context) -> dict:
    rows = (
        figures_activities.held_in(ctx.unit, trend_start(ctx.period.end), ctx.period.last)
        .annotate(day=TruncDate("starts_at"))
        .values("day")
        .annotate(activities=Count("pk"), person_times=Sum("attendance"))
        .order_by()
    )
    return trend(rows, "day", ("activities", "person_times"), ctx.period.end)


def compute(ctx: Context) -> Result:
    venues = _venue_counts(ctx)
    activities = _activity_counts(ctx)
    requests = _request_counts(ctx)
    total = {
        "activities": sum(r["activities"] for r in activities.values()),
        "person_times": sum(r["person_times"] or 0 for r in activities.values()),
    }
    result = Result(
        values=_values(sum(venues.values()), total, sum(requests.values())),
        links=_links(ctx.unit, ctx.period),
    )
    if ctx.previous:
        result.previous = _previous(ctx)
    for child in ctx.children:
        result.children.append(
            child_row(
                child,
                _values(
                    venues.get(child.path, 0),
                    activities.get(child.path),
                    requests.get(child.path, 0),
                ),
                _links(child, ctx.period),
            )
        )
    no_attendance = urlencode(
        {
            "unit": ctx.unit.pk,
            "from": ctx.period.start.isoformat(),
            "to": ctx.period.last.isoformat(),
            "status": "no_attendance",
        }
    )
    result.attention = [
        Attention(
            _("Activities held without attendance recorded"),
            sum(r["no_attendance"] for r in activities.values()),
            f"{reverse('venues:activity-list')}?{no_attendance}",
            level="yellow",
        )
    ]
    result.trend = _trend(ctx)
    return result


SECTION = Section(
    key="venues",
    title=_("Service centres and activities"),
    order=50,
    page="venues:activity-figures",
    compute=compute,
    figures=(
        Figure(
            "venues",
            _("Venues"),
            current=True,
            help=_("active Party-mass service centres and stations, as they are now"),
        ),
        Figure("activities", _("Activities held")),
        Figure(
            "person_times",
            _("Person-times"),
            kind=SUM,
            help=_("attendance recorded at the activities of the period"),
        ),
        Figure("requests", _("Service requests"), help=_("assisted and proxy requests received")),
    ),
    trend_figures=("activities", "person_times"),
)
