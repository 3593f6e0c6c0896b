"""Village collective economy (村集体经济): the figures of economy/figures.py for the unit's
subtree, per child, with the projects late now and the villages without an income on record.

The year. The economy is recorded per year (incomes, bands, projects), so the section shows
the year of the period's last day (`ctx.period.last.year`) whatever the period: "this month"
in March 2026 shows 2026. Its previous values are those of the year before, given only when
the period is exactly one calendar year (the "year" preset, or a custom 1 January–31 December)
and compared; for a week, month or quarter `result.previous` stays empty, since the year before
is no "previous period" of a month. The figures keep `current=False`: they are yearly figures,
comparable year on year. `result.note` names the year.

Figures (each count equals the rows of the list it links to)
- weak: villages whose operating income of the year falls in the district's lowest income
  band (economy.models.IncomeBand, the band with the lowest lower bound, e.g. 10万元以下)
  → village list ?band=<lowest band>; None when the district has defined no bands.
- moved_up: villages whose band of the year is above their band of the year before (跃升)
  → village list ?move=up.
- projects: projects of the year involving the unit (owned in its subtree or involving one of
  its villages: figures.projects_of) → project list ?year=.
- funding: the sum of the funding sources of those projects (yuan, exact decimal string)
  → the same project list (the rows it adds up).
- late (a state now, any year): projects neither completed nor suspended with a leaf milestone
  not done past its due date (figures.late_projects) → project list ?year=all&late=1.

Attention: projects late (red); villages with no income recorded for the year (yellow,
→ village list ?band=none).

Per child: the village rows are bucketed by the child their path falls under; a project counts
for every child it touches (its owner's or one of its villages'), as the project list of that
child shows it.

Queries (fixed): the bands, the village rows (two), the projects of the year with their
funding, the late projects, and the villages of those projects — six; three more for the
previous year when it is compared. No trend: the data are yearly.
"""

import datetime
from collections import defaultdict
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dashboards.sections.base import AMOUNT, Attention, Context, Figure, Result, Section, child_row
from economy import figures as economy
from economy.models import ZERO, IncomeBand, Project, ProjectVillage

CENT = Decimal("0.01")


def _amount(value) -> str:
    return str((value or ZERO).quantize(CENT))


def _whole_year(ctx: Context) -> bool:
    year = ctx.period.last.year
    return ctx.period.start == datetime.date(year, 1, 1) and ctx.period.end == datetime.date(
        year + 1, 1, 1
    )


def _village_counts(rows, lowest, branch_length) -> dict[str, dict]:
    """Per branch path ("" for the unit's total): weak, moved up and without a record."""
    counts = defaultdict(lambda: {"weak": 0, "moved_up": 0, "no_record": 0})
    for row in rows:
        values = {
            "weak": lowest is not None and row.band is not None and row.band.pk == lowest.pk,
            "moved_up": row.move == "up",
            "no_record": row.income is None,
        }
        for key in ("", row.village.path[:branch_length]):
            for name, hit in values.items():
                counts[key][name] += hit
    return counts


def _project_counts(ctx: Context, year: int) -> dict[str, dict]:
    """Per branch path ("" for the unit's total): projects of the year, their funding, and the
    projects late now (of any year)."""
    scoped = Project.objects.within(ctx.unit)
    of_year = {
        row["pk"]: row
        for row in economy.projects_of(ctx.unit, year)
        .values("pk", "owner_unit__path")
        .annotate(funding=Sum("funding__amount"))
        .order_by()
    }
    late = dict(
        economy.late_projects(scoped, ctx.today).values_list("pk", "owner_unit__path").order_by()
    )
    touched = defaultdict(set)
    for pk, row in of_year.items():
        touched[pk].add(row["owner_unit__path"][: ctx.branch_length])
    for pk, path in late.items():
        touched[pk].add(path[: ctx.branch_length])
    involved = scoped.filter(Q(year=year) | economy.late_q(ctx.today)).values("pk")
    for pk, path in (
        ProjectVillage.objects.filter(project__in=involved)
        .values_list("project_id", "village__path")
        .order_by()
    ):
        touched[pk].add(path[: ctx.branch_length])
    counts = defaultdict(lambda: {"projects": 0, "funding": ZERO, "late": 0})
    for pk, branches in touched.items():
        for key in ("", *branches):
            entry = counts[key]
            if pk in of_year:
                entry["projects"] += 1
                entry["funding"] += of_year[pk]["funding"] or ZERO
            entry["late"] += pk in late
    return counts


def _values(villages: dict, projects: dict, has_bands: bool) -> dict:
    return {
        "weak": villages["weak"] if has_bands else None,
        "moved_up": villages["moved_up"],
        "projects": projects["projects"],
        "funding": _amount(projects["funding"]),
        "late": projects["late"],
    }


def _village_url(unit, year, **params) -> str:
    return (
        f"{reverse('economy:village-list')}?{urlencode({'unit': unit.pk, 'year': year, **params})}"
    )


def _project_url(unit, year, **params) -> str:
    return (
        f"{reverse('economy:project-list')}?{urlencode({'unit': unit.pk, 'year': year, **params})}"
    )


def _links(unit, year, lowest) -> dict:
    projects = _project_url(unit, year)
    return {
        "weak": _village_url(unit, year, band=lowest.pk) if lowest else _village_url(unit, year),
        "moved_up": _village_url(unit, year, move="up"),
        "projects": projects,
        "funding": projects,
        "late": _project_url(unit, "all", late="1"),
    }


def _previous(ctx: Context, year: int, bands, lowest) -> dict:
    before = year - 1
    rows = economy.village_rows(ctx.unit, before, bands=bands)
    villages = _village_counts(rows, lowest, ctx.branch_length)[""]
    projects = (
        economy.projects_of(ctx.unit, before)
        .order_by()
        .aggregate(n=Count("pk", distinct=True), funding=Sum("funding__amount"))
    )
    return {
        "weak": villages["weak"] if bands else None,
        "moved_up": villages["moved_up"],
        "projects": projects["n"],
        "funding": _amount(projects["funding"]),
    }


def compute(ctx: Context) -> Result:
    year = ctx.period.last.year
    bands = list(
        IncomeBand.objects.filter(district__path=ctx.unit.path[: ctx.unit.steplen]).order_by(
            "lower"
        )
    )
    lowest = bands[0] if bands else None
    rows = economy.village_rows(ctx.unit, year, bands=bands)
    villages = _village_counts(rows, lowest, ctx.branch_length)
    projects = _project_counts(ctx, year)
    result = Result(
        values=_values(villages[""], projects[""], bool(bands)),
        links=_links(ctx.unit, year, lowest),
        note=_("Collective economy of %(year)s") % {"year": year},
    )
    if ctx.previous and _whole_year(ctx):
        result.previous = _previous(ctx, year, bands, lowest)
    for child in ctx.children:
        result.children.append(
            child_row(
                child,
                _values(villages[child.path], projects[child.path], bool(bands)),
                _links(child, year, lowest),
            )
        )
    result.attention = [
        Attention(
            _("Projects late (a milestone past its due date)"),
            projects[""]["late"],
            result.links["late"],
        ),
        Attention(
            _("Villages with no income recorded for %(year)s") % {"year": year},
            villages[""]["no_record"],
            _village_url(ctx.unit, year, band="none"),
            level="yellow",
        ),
    ]
    return result


SECTION = Section(
    key="economy",
    title=_("Collective economy"),
    order=60,
    page="economy:figures",
    compute=compute,
    figures=(
        Figure(
            "weak",
            _("Weak villages"),
            lower_is_better=True,
            help=_("villages whose collective income of the year is in the lowest band"),
        ),
        Figure(
            "moved_up",
            _("Villages moved up a band"),
            help=_("income band of the year above that of the year before"),
        ),
        Figure("projects", _("Projects of the year")),
        Figure(
            "funding",
            _("Project funding"),
            kind=AMOUNT,
            help=_("all funding sources of the year's projects, in yuan"),
        ),
        Figure(
            "late",
            _("Projects late"),
            current=True,
            lower_is_better=True,
            help=_("not completed, with a milestone past its due date"),
        ),
    ),
)
