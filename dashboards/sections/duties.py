"""Contact work (联系服务群众"四项制度") and liaison duties (包联): the figures of
outreach/figures/contacts.py for the unit's subtree, per child, the duties behind now, and the
monthly and weekly trend of contact activities.

- Activities: contact activities held in the period whose covered unit is in the subtree
  (contact_figures.activities_in); people reached: the sum of their `people_reached`; both drill
  down to the activity list with unit/from/to.
- Problems raised / solved: ledger items raised in those activities, and those of them now
  resolved, verified or closed (contact_figures.problems_in); the activity problem list with
  unit/from/to and state=raised|solved.
- Duties behind: current duties of the subtree (by their scope unit) whose status today is
  "behind" (outreach.figures.duties); a state now. The duty matrix with status=behind.

Eight queries whatever the size: the activities of the period grouped by child (of their
covered unit), the problems grouped likewise, the same two for the previous period (totals
only), the duty statuses (outreach.figures.duties.duty_rows: the duties as plain values, the
district policies, one grouped count of contacts; the status is computed in Python and
bucketed per child by the duty's scope unit), and the trend (one query grouped by day).
"""

from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
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
from governance.models import DONE_STATUSES
from outreach.figures import contacts as contact_figures
from outreach.figures.duties import DutyStatus, duty_rows

KEYS = ("activities", "people_reached", "problems", "solved", "behind")


def _empty() -> dict:
    return dict.fromkeys(KEYS, 0)


def _add(totals: dict, row: dict, keys) -> None:
    for key in keys:
        totals[key] += row[key] or 0


def _grouped(ctx: Context, start, end) -> tuple[dict, dict]:
    """The unit's totals and {child path: totals} of the period's activities and problems."""
    total = _empty()
    per_child = {child.path: _empty() for child in ctx.children}
    activities = (
        contact_figures.activities_in(ctx.unit, start, end)
        .values(path=ctx.branch("unit__path"))
        .annotate(activities=Count("pk"), people_reached=Sum("people_reached"))
        .order_by()
    )
    problems = (
        contact_figures.problems_in(ctx.unit, start, end)
        .values(path=ctx.branch("contact_activity_link__activity__unit__path"))
        .annotate(problems=Count("pk"), solved=Count("pk", filter=Q(status__in=DONE_STATUSES)))
        .order_by()
    )
    for rows, keys in (
        (activities, ("activities", "people_reached")),
        (problems, ("problems", "solved")),
    ):
        for row in rows:
            _add(total, row, keys)
            child = ctx.child_of(row["path"])
            if child is not None:
                _add(per_child[child.path], row, keys)
    return total, per_child


def _previous(ctx: Context) -> dict:
    start, end = ctx.previous.start, ctx.previous.end
    activities = contact_figures.activities_in(ctx.unit, start, end).aggregate(
        activities=Count("pk"), people_reached=Sum("people_reached")
    )
    problems = contact_figures.problems_in(ctx.unit, start, end).aggregate(
        problems=Count("pk"), solved=Count("pk", filter=Q(status__in=DONE_STATUSES))
    )
    return {
        "activities": activities["activities"],
        "people_reached": activities["people_reached"] or 0,
        "problems": problems["problems"],
        "solved": problems["solved"],
    }


def _behind(ctx: Context, total: dict, per_child: dict) -> None:
    """Duties behind today, from the status of every current duty of the subtree (computed in
    Python by duty_rows from plain values), counted per child by the duty's scope unit."""
    for row in duty_rows(
        contact_figures.current_duties(ctx.unit, today=ctx.today), ctx.today, light=True
    ):
        if row.status != DutyStatus.BEHIND:
            continue
        total["behind"] += 1
        child = ctx.child_of(row.duty.scope_path)
        if child is not None:
            per_child[child.path]["behind"] += 1


def _links(unit, period) -> dict:
    activities = {
        "unit": unit.pk,
        "from": period.start.isoformat(),
        "to": period.last.isoformat(),
    }
    activities_url = f"{reverse('outreach:activity-list')}?{urlencode(activities)}"
    problems = {"unit": unit.pk, "from": period.start.isoformat(), "to": period.last.isoformat()}
    problems_url = reverse("outreach:activity-problems")
    return {
        "activities": activities_url,
        "people_reached": activities_url,
        "problems": f"{problems_url}?{urlencode({**problems, 'state': 'raised'})}",
        "solved": f"{problems_url}?{urlencode({**problems, 'state': 'solved'})}",
        "behind": _matrix_url(unit),
    }


def _matrix_url(unit) -> str:
    return f"{reverse('outreach:duty-matrix')}?{urlencode({'unit': unit.pk, 'status': 'behind'})}"


def _trend(ctx: Context) -> dict:
    rows = (
        contact_figures.activities_in(ctx.unit, trend_start(ctx.period.end), ctx.period.end)
        .values("held_on")
        .annotate(activities=Count("pk"))
        .order_by()
    )
    return trend(rows, "held_on", ("activities",), ctx.period.end)


def compute(ctx: Context) -> Result:
    total, per_child = _grouped(ctx, ctx.period.start, ctx.period.end)
    _behind(ctx, total, per_child)
    result = Result(values=total, links=_links(ctx.unit, ctx.period))
    if ctx.previous:
        result.previous = _previous(ctx)
    for child in ctx.children:
        result.children.append(child_row(child, per_child[child.path], _links(child, ctx.period)))
    result.attention = [
        Attention(_("Liaison duties behind"), total["behind"], _matrix_url(ctx.unit)),
    ]
    result.trend = _trend(ctx)
    return result


SECTION = Section(
    key="duties",
    title=_("Contact work and liaison duties"),
    order=30,
    page="outreach:activity-figures",
    compute=compute,
    figures=(
        Figure("activities", _("Contact activities")),
        Figure("people_reached", _("People reached"), kind=SUM),
        Figure(
            "problems",
            _("Problems raised"),
            help=_("ledger items raised in the period's contact activities"),
        ),
        Figure(
            "solved",
            _("Problems solved"),
            help=_("of the problems raised, those now resolved or closed"),
        ),
        Figure(
            "behind",
            _("Duties behind"),
            current=True,
            lower_is_better=True,
            help=_("current liaison duties without the expected contact"),
        ),
    ),
    trend_figures=("activities",),
)
