"""Figures of the collective economy, per unit and year: plain selectors the economy pages, their
exports and the dashboards call, so a figure is the same number everywhere.

Definitions (each count equals the length of the list it drills down to):
- villages: villages and communities in the unit's subtree (active units).
- by band: villages by the band (of the unit's district) of their operating income in `year`;
  "no record" when nothing was recorded for the year. → village list ?band=<id>|none
- movement (跃升): band in `year` against band in `year - 1`: up, down, same, new (no income
  recorded the year before). → village list ?move=up|down|same|new
- funding by source: Σ amount per source of the projects of `year` (Project.year) involving
  the unit (owned in its subtree or involving one of its villages). → project list ?source=
- projects by status, with the mean of their progress (unweighted) and their budgets.
  → project list ?status=
- projects late on `today` (any year): neither completed nor suspended, with a leaf milestone
  not done whose due date has passed (the milestones of the overdue reminders).
  → project list ?late=1
- measures of the year: those whose deadline falls in `year`; done; late (open past the
  deadline on `today`); open. → measure list ?state=
- pairings active at any time in `year` (since ≤ 31 Dec, not ended before 1 Jan): pairings,
  villages covered and enterprises covered. → pairing list
All amounts are Decimal yuan.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from economy.models import (
    HUNDRED,
    VILLAGE_KINDS,
    ZERO,
    FundingKind,
    FundingSource,
    IncomeBand,
    IncomeMeasure,
    MeasureStatus,
    Milestone,
    Pairing,
    Project,
    ProjectStatus,
    VillageIncome,
)
from economy.services import band_for, movement
from governance.models import Unit

MOVES = ("up", "same", "down", "new")


@dataclass(frozen=True)
class VillageRef:
    """What the lists show of a village: read as plain values, not model instances, so that a
    district's ~860 villages cost little more than the query."""

    pk: int
    name: str
    path: str
    parent_name: str


@dataclass
class VillageRow:
    village: VillageRef
    #: Operating income in `year` (None: nothing recorded) and in the year before.
    income: Decimal | None
    previous: Decimal | None
    band: IncomeBand | None
    previous_band: IncomeBand | None
    move: str


@dataclass
class Figures:
    unit: Unit
    year: int
    villages: int = 0
    bands: list[tuple[IncomeBand, int]] = field(default_factory=list)
    no_record: int = 0
    moves: dict[str, int] = field(default_factory=dict)
    income_total: Decimal = ZERO
    funding: list[tuple[str, str, Decimal]] = field(default_factory=list)
    funding_total: Decimal = ZERO
    projects: list[tuple[str, str, int]] = field(default_factory=list)
    project_count: int = 0
    project_progress: Decimal = ZERO
    budget_total: Decimal = ZERO
    measures: int = 0
    measures_done: int = 0
    measures_late: int = 0
    measures_open: int = 0
    pairings: int = 0
    paired_villages: int = 0
    paired_enterprises: int = 0
    #: The village rows the band figures count (for a per-unit breakdown without more queries).
    rows: list[VillageRow] = field(default_factory=list, repr=False)


def villages_in(unit: Unit, user=None):
    qs = Unit.objects.filter(path__startswith=unit.path, kind__in=VILLAGE_KINDS, is_active=True)
    return qs.for_user(user) if user is not None else qs


def village_rows(unit: Unit, year: int, *, user=None, bands=None) -> list[VillageRow]:
    """Every village of the unit with its income and band in `year` and the move since the
    year before. Three queries whatever the number of villages."""
    if bands is None:
        bands = list(IncomeBand.objects.filter(district=unit.district).order_by("lower"))
    villages = [
        VillageRef(*values)
        for values in villages_in(unit, user)
        .order_by("path")
        .values_list("pk", "name", "path", "parent__name")
    ]
    current, previous = {}, {}
    for village_id, income_year, amount in (
        VillageIncome.objects.within(unit)
        .filter(year__in=(year, year - 1))
        .values_list("village_id", "year", "operating_income")
    ):
        (current if income_year == year else previous)[village_id] = amount
    rows = []
    for village in villages:
        income = current.get(village.pk)
        before = previous.get(village.pk)
        band = band_for(bands, income) if income is not None else None
        before_band = band_for(bands, before) if before is not None else None
        rows.append(
            VillageRow(
                village=village,
                income=income,
                previous=before,
                band=band,
                previous_band=before_band,
                move=movement(before_band, band) if income is not None else "",
            )
        )
    return rows


def filter_rows(rows: list[VillageRow], *, band: str = "", move: str = "") -> list[VillageRow]:
    if band == "none":
        rows = [r for r in rows if r.income is None]
    elif band:
        rows = [r for r in rows if r.band is not None and str(r.band.pk) == band]
    if move:
        rows = [r for r in rows if r.move == move]
    return rows


def projects_of(unit: Unit, year: int | None, user=None):
    qs = Project.objects.within(unit)
    if user is not None:
        qs = qs.for_user(user)
    return qs.filter(year=year) if year else qs


def late_q(today: datetime.date) -> Q:
    """A project late on `today`: neither completed nor suspended, with a leaf milestone not
    done whose due date has passed (as economy.reminders' milestone_overdue)."""
    overdue = Milestone.objects.filter(
        project=OuterRef("pk"), progress__lt=HUNDRED, children__isnull=True, due_on__lt=today
    )
    return Q(Exists(overdue)) & ~Q(status__in=(ProjectStatus.COMPLETED, ProjectStatus.SUSPENDED))


def late_projects(qs, today: datetime.date):
    return qs.filter(late_q(today))


def measures_of(unit: Unit, year: int | None, user=None):
    qs = IncomeMeasure.objects.within(unit)
    if user is not None:
        qs = qs.for_user(user)
    return qs.filter(deadline__year=year) if year else qs


def measures_in_state(qs, state: str, today: datetime.date):
    if state == "done":
        return qs.filter(status=MeasureStatus.DONE)
    if state == "late":
        return qs.late(today)
    if state == "open":
        return qs.open()
    return qs


def pairings_of(unit: Unit, year: int | None, user=None):
    qs = Pairing.objects.within(unit)
    if user is not None:
        qs = qs.for_user(user)
    return qs.active_in(year) if year else qs


def figures(unit: Unit, year: int, *, user=None, today: datetime.date | None = None) -> Figures:
    today = today or timezone.localdate()
    result = Figures(unit=unit, year=year)
    bands = list(IncomeBand.objects.filter(district=unit.district).order_by("lower"))
    rows = village_rows(unit, year, user=user, bands=bands)
    result.rows = rows
    result.villages = len(rows)
    by_band = Counter(r.band.pk for r in rows if r.band is not None)
    result.bands = [(b, by_band[b.pk]) for b in bands]
    result.no_record = sum(1 for r in rows if r.income is None)
    moves = Counter(r.move for r in rows if r.move)
    result.moves = {m: moves[m] for m in MOVES}
    result.income_total = sum((r.income for r in rows if r.income is not None), ZERO)

    projects = projects_of(unit, year, user)
    sums = dict(
        FundingSource.objects.filter(project__in=projects.values("pk"))
        .values("kind")
        .annotate(total=Sum("amount"))
        .values_list("kind", "total")
    )
    result.funding = [
        (kind.value, kind.label, sums.get(kind.value) or ZERO)
        for kind in FundingKind
        if sums.get(kind.value)
    ]
    result.funding_total = sum((t for _k, _l, t in result.funding), ZERO)
    by_status = dict(
        projects.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    result.projects = [(s.value, s.label, by_status.get(s.value, 0)) for s in ProjectStatus]
    totals = projects.order_by().aggregate(
        n=Count("pk"), progress=Avg("progress"), budget=Sum("budget")
    )
    result.project_count = totals["n"] or 0
    result.project_progress = Decimal(totals["progress"] or 0).quantize(Decimal("0.01"))
    result.budget_total = totals["budget"] or ZERO

    measures = measures_of(unit, year, user)
    counts = measures.order_by().aggregate(
        total=Count("pk"),
        done=Count("pk", filter=_q_done()),
        open=Count("pk", filter=_q_open()),
        late=Count("pk", filter=_q_open() & _q_before(today)),
    )
    result.measures = counts["total"]
    result.measures_done = counts["done"]
    result.measures_open = counts["open"]
    result.measures_late = counts["late"]

    pairings = pairings_of(unit, year, user)
    paired = pairings.order_by().aggregate(
        n=Count("pk"),
        villages=Count("village", distinct=True),
        enterprises=Count("enterprise", distinct=True),
    )
    result.pairings = paired["n"]
    result.paired_villages = paired["villages"]
    result.paired_enterprises = paired["enterprises"]
    return result


def _q_done():
    return Q(status=MeasureStatus.DONE)


def _q_open():
    return Q(status__in=(MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS))


def _q_before(today):
    return Q(deadline__lt=today)
