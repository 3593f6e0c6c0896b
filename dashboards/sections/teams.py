"""People and teams: training (培训), reserve cadres (后备干部) and the monthly scoring of
community workers (每月一评分), from the definitions of teams/figures.py, for the unit's subtree,
per child, with the villages below the reserve minimum, the workers not yet scored and the
flagged secondments, and the monthly trend of training sessions.

teams.figures' functions compute much more than a dashboard needs (its figures page costs
dozens of queries), so this section calls only its selectors (sessions_in,
villages_with_reserve, the querysets' active/flagged) and groups per child itself.

Figures
- sessions: training sessions held in the period by the unit or a unit below it
  (figures.sessions_in) → the training list ?unit=&from=&to=.
- people: distinct people on those sessions' sign-in lists → the same training list (the
  sessions they signed in to; the list's "People" column counts sign-ins per session).
- reserve (now): active reserve cadres of the subtree's villages and communities → the reserve
  list ?unit=.
- below_minimum (now): active villages and communities with fewer active reserve cadres than
  the district's minimum (figures.shortfall) → the shortfall list ?unit=.
- scored (now, a rate): the share of the subtree's active community workers with a monthly
  score for the score month → the worker list ?unit=&scored=YYYY-MM (its numerator). The score
  month is the latest month that is over and lies in the period: the month of the period's
  last day, but at most the month before today's (a month's scores are entered early in the
  next one, so "this month" shows last month's scoring). None without workers.

Attention: villages below the reserve minimum (red, the shortfall list); workers not yet scored
for the score month (yellow, the worker list ?unscored=YYYY-MM); secondments flagged now
(unapproved, not back after the planned end or longer than allowed: red, the secondment list
?flag=any).

Queries (fixed): sessions grouped by child, people grouped by child, people in all, the
previous period's sessions and people (two, when compared), reserve cadres grouped by child,
the district's policy, the villages with their reserve count, the workers grouped by child,
the flagged secondments and the trend — eleven at most, whatever the number of rows.
"""

import datetime
from collections import defaultdict
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dashboards.sections.base import (
    RATE,
    SUM,
    Attention,
    Context,
    Figure,
    Result,
    Section,
    child_row,
    month_starts,
    trend,
)
from teams import figures as teams
from teams import rules
from teams.models import Attendance, CommunityWorker, MonthlyScore, ReserveCadre, Secondment


def score_month(ctx: Context) -> datetime.date:
    """The latest month that is over and lies in the period (see the module docstring)."""
    last_over = rules.add_months(rules.month_start(ctx.today), -1)
    return min(rules.month_start(ctx.period.last), last_over)


def _grouped(queryset, branch, **aggregates) -> dict[str, dict]:
    rows = queryset.annotate(branch=branch).values("branch").annotate(**aggregates).order_by()
    return {row["branch"]: row for row in rows}


def _training(ctx: Context, start, last):
    sessions = teams.sessions_in(ctx.unit, start, last)
    attendances = Attendance.objects.filter(session__in=sessions.values("pk"))
    return sessions, attendances


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _links(unit, period, month: datetime.date) -> dict:
    training = urlencode(
        {"unit": unit.pk, "from": period.start.isoformat(), "to": period.last.isoformat()}
    )
    return {
        "sessions": f"{reverse('teams:training-list')}?{training}",
        "people": f"{reverse('teams:training-list')}?{training}",
        "reserve": f"{reverse('teams:reserve-list')}?{urlencode({'unit': unit.pk})}",
        "below_minimum": f"{reverse('teams:reserve-shortfall')}?{urlencode({'unit': unit.pk})}",
        "scored": (
            f"{reverse('teams:worker-list')}?"
            f"{urlencode({'unit': unit.pk, 'scored': f'{month:%Y-%m}'})}"
        ),
    }


def _trend(ctx: Context) -> dict:
    rows = (
        teams.sessions_in(ctx.unit, month_starts(ctx.period.end)[0], ctx.period.last)
        .values("held_on")
        .annotate(sessions=Count("pk"))
        .order_by()
    )
    return trend(rows, "held_on", ("sessions",), ctx.period.end, weeks=False)


def compute(ctx: Context) -> Result:
    month = score_month(ctx)
    sessions, attendances = _training(ctx, ctx.period.start, ctx.period.last)
    session_counts = _grouped(sessions, ctx.branch(), n=Count("pk"))
    people_counts = _grouped(
        attendances, ctx.branch("session__unit__path"), n=Count("person", distinct=True)
    )
    people = attendances.values("person").distinct().count()
    reserve = _grouped(
        ReserveCadre.objects.within(ctx.unit).active(), ctx.branch("village__path"), n=Count("pk")
    )
    minimum = rules.policy_for(ctx.unit).reserve_minimum
    below = defaultdict(int)
    for path, reserves in teams.villages_with_reserve(ctx.unit).values_list("path", "reserves"):
        if reserves < minimum:
            below[""] += 1
            below[path[: ctx.branch_length]] += 1
    scored_workers = MonthlyScore.objects.filter(month=month).values("worker_id")
    workers = _grouped(
        CommunityWorker.objects.within(ctx.unit).active(),
        ctx.branch("community__path"),
        n=Count("pk"),
        scored=Count("pk", filter=Q(pk__in=scored_workers)),
    )
    flagged = Secondment.objects.within(ctx.unit).flagged(ctx.today).count()

    def total(grouped, name="n"):
        return sum(row[name] for row in grouped.values())

    def values(sessions_n, people_n, reserve_n, below_n, workers_row):
        workers_row = workers_row or {"n": 0, "scored": 0}
        return {
            "sessions": sessions_n,
            "people": people_n,
            "reserve": reserve_n,
            "below_minimum": below_n,
            "scored": _rate(workers_row["scored"], workers_row["n"]),
        }

    all_workers = {"n": total(workers), "scored": total(workers, "scored")}
    result = Result(
        values=values(total(session_counts), people, total(reserve), below[""], all_workers),
        links=_links(ctx.unit, ctx.period, month),
        note=_("Monthly scores of %(month)s") % {"month": f"{month:%Y-%m}"},
    )
    if ctx.previous:
        sessions, attendances = _training(ctx, ctx.previous.start, ctx.previous.last)
        result.previous = {
            "sessions": sessions.count(),
            "people": attendances.values("person").distinct().count(),
        }
    for child in ctx.children:
        path = child.path
        result.children.append(
            child_row(
                child,
                values(
                    session_counts.get(path, {}).get("n", 0),
                    people_counts.get(path, {}).get("n", 0),
                    reserve.get(path, {}).get("n", 0),
                    below.get(path, 0),
                    workers.get(path),
                ),
                _links(child, ctx.period, month),
            )
        )
    unscored = urlencode({"unit": ctx.unit.pk, "unscored": f"{month:%Y-%m}"})
    flagged_url = urlencode({"unit": ctx.unit.pk, "flag": "any"})
    result.attention = [
        Attention(
            _("Villages below the reserve-cadre minimum of %(minimum)s") % {"minimum": minimum},
            below[""],
            result.links["below_minimum"],
        ),
        Attention(
            _("Community workers not yet scored for %(month)s") % {"month": f"{month:%Y-%m}"},
            all_workers["n"] - all_workers["scored"],
            f"{reverse('teams:worker-list')}?{unscored}",
            level="yellow",
        ),
        Attention(
            _("Secondments flagged"),
            flagged,
            f"{reverse('teams:secondment-list')}?{flagged_url}",
        ),
    ]
    result.trend = _trend(ctx)
    return result


SECTION = Section(
    key="teams",
    title=_("People and teams"),
    order=70,
    page="teams:figures",
    compute=compute,
    figures=(
        Figure("sessions", _("Training sessions")),
        Figure(
            "people",
            _("People trained"),
            kind=SUM,
            help=_("distinct people on the sign-in lists of the period's sessions"),
        ),
        Figure("reserve", _("Reserve cadres"), current=True),
        Figure(
            "below_minimum",
            _("Villages below the reserve minimum"),
            current=True,
            lower_is_better=True,
        ),
        Figure(
            "scored",
            _("Community workers scored"),
            kind=RATE,
            current=True,
            help=_("share of community workers with a monthly score for the latest month over"),
        ),
    ),
    trend_figures=("sessions",),
)
