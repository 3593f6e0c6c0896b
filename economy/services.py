"""Writes of the collective economy: each validates, writes inside a transaction and raises
ValidationError (keyed by field) with a message the user can act on.

Permissions live here, not in the views: every write takes the acting user (`actor`, a
required keyword) and raises PermissionDenied when the actor's role may not do it or the
record is outside the actor's scope (governance.access.can). `manage_ledgers` over a unit keeps
its economy records (incomes, measures, pairings; projects and enterprises of a township or the
district; companies of a township; the district's bands and models); `handle_items` also
records progress (measure steps, milestones, project files). `actor=None` is the system itself
(the demo seeder, fixtures): it is not checked, and must be written out at each call.

Money is Decimal throughout; `to_money` refuses what is not an exact number.
"""

import datetime
import itertools
from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from economy.models import (
    HUNDRED,
    VILLAGE_KINDS,
    ZERO,
    Attachment,
    CompanyYear,
    DevelopmentModel,
    Dividend,
    Enterprise,
    FundingKind,
    FundingSource,
    IncomeBand,
    IncomeMeasure,
    MeasureStatus,
    Milestone,
    Pairing,
    PairingResult,
    Project,
    ProjectStatus,
    ProjectVillage,
    ProsperityCompany,
    Shareholding,
    VillageIncome,
    VillageModel,
)
from governance import access
from governance.models import Unit

CENT = Decimal("0.01")
MAX_MONEY = Decimal("999999999999.99")
WAN = Decimal("10000")
MANAGE = "manage_ledgers"
HANDLE = "handle_items"


# Permissions ----------------------------------------------------------------------------------


def may(actor, unit: Unit | None, *capabilities: str) -> bool:
    """May `actor` (None: the system) act on `unit` with one of `capabilities` (default:
    manage_ledgers)? Outside the actor's scope the answer is no; unit None: anywhere."""
    if actor is None:
        return True
    return any(access.can(actor, c, unit) for c in capabilities or (MANAGE,))


def _require(actor, unit: Unit, *capabilities: str) -> None:
    if not may(actor, unit, *capabilities):
        raise PermissionDenied(
            _("Your role may not change the economy records of %(unit)s.") % {"unit": unit.name}
        )


def project_owners(actor) -> list[Unit]:
    """Units the actor may own projects and enterprises for: the districts and townships where
    they keep records (a district's staff: the district and its townships)."""
    held = access.units_where(actor, MANAGE)
    if actor is not None and actor.is_superuser:
        held = list(Unit.objects.filter(depth=1).territory())
    owners = []
    for unit in held:
        if unit.kind == Unit.Kind.DISTRICT:
            owners.append(unit)
            owners.extend(Unit.objects.filter(parent=unit, kind__in=Unit.KINDS_BY_LEVEL[2]))
        elif unit.kind in Unit.KINDS_BY_LEVEL[2]:
            owners.append(unit)
    return owners


# Money ----------------------------------------------------------------------------------------


def to_money(value, *, unit: Decimal = Decimal(1)) -> Decimal:
    """An exact amount in yuan from a cell, a form value or a Decimal; `unit` 10000 for 万元.

    Accepts int, Decimal, and text of one plain number ("1200", "1200.5", " 3,020.00 " is
    refused: a thousands separator is ambiguous in a column people type by hand). Floats from
    Excel cells are taken through their shortest repr, so 0.1 stays 0.1. More than two decimals
    in yuan after conversion is refused rather than rounded away.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return ZERO
    if isinstance(value, bool):
        raise ValidationError(_("“%(value)s” is not an amount.") % {"value": value})
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, str):
        text = value.strip().replace("，", ",").replace("．", ".")
        for suffix in ("万元", "元"):
            if text.endswith(suffix):
                text = text[: -len(suffix)].strip()
        if not text or any(c not in "0123456789.-" for c in text) or text.count(".") > 1:
            raise ValidationError(_("“%(value)s” is not an amount.") % {"value": value})
        value = text
    try:
        amount = Decimal(value) * unit
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError(_("“%(value)s” is not an amount.") % {"value": value}) from None
    if not amount.is_finite():
        raise ValidationError(_("“%(value)s” is not an amount.") % {"value": value})
    if amount < 0:
        raise ValidationError(_("An amount cannot be negative."))
    if amount != amount.quantize(CENT):
        raise ValidationError(_("An amount in yuan has at most two decimal places."))
    if amount > MAX_MONEY:
        raise ValidationError(_("The amount is too large."))
    return amount.quantize(CENT)


def to_wan(amount: Decimal) -> Decimal:
    """Yuan → 万元, exact (four more decimal places at most, never rounded)."""
    return (amount / WAN).normalize() if amount else Decimal("0")


# Bands ----------------------------------------------------------------------------------------


def band_for(bands: list[IncomeBand], amount: Decimal) -> IncomeBand | None:
    for band in bands:
        if band.contains(amount):
            return band
    return None


def bands_of(district: Unit) -> list[IncomeBand]:
    return list(IncomeBand.objects.filter(district=district).order_by("lower"))


def _check_bands(bands: list[IncomeBand]) -> None:
    ordered = sorted(bands, key=lambda b: b.lower)
    for low, high in itertools.pairwise(ordered):
        if low.upper is None or low.upper > high.lower:
            raise ValidationError(
                {
                    "lower": _("“%(a)s” and “%(b)s” overlap: a band starts where another ends.")
                    % {"a": low.name, "b": high.name}
                }
            )


@transaction.atomic
def band_save(
    *, district: Unit, actor, name: str, lower: Decimal, upper: Decimal | None, band=None
) -> IncomeBand:
    _require(actor, district)
    if upper is not None and upper <= lower:
        raise ValidationError({"upper": _("The upper bound must be above the lower bound.")})
    # Lock the district's bands so two editors cannot both add overlapping ones.
    existing = list(IncomeBand.objects.select_for_update().filter(district=district))
    band = band or IncomeBand(district=district)
    band.name, band.lower, band.upper = name, lower, upper
    _check_bands([b for b in existing if b.pk != band.pk] + [band])
    try:
        with transaction.atomic():
            band.save()
    except IntegrityError:
        raise ValidationError(
            {"name": _("The district has a band with this name or lower bound.")}
        ) from None
    return band


def band_delete(*, band: IncomeBand, actor) -> None:
    _require(actor, band.district)
    band.delete()


def development_model_create(
    *, district: Unit, actor, name: str, description: str = "", order: int | None = None
) -> DevelopmentModel:
    _require(actor, district)
    model, created = DevelopmentModel.objects.get_or_create(
        district=district, name=name, defaults={"description": description, "order": order or 0}
    )
    if not created:
        raise ValidationError({"name": _("The district has a model with this name.")})
    return model


def movement(previous: IncomeBand | None, current: IncomeBand | None) -> str:
    """'up', 'down', 'same' or 'new' (no income in the previous year); '' without current."""
    if current is None:
        return ""
    if previous is None:
        return "new"
    if current.lower > previous.lower:
        return "up"
    if current.lower < previous.lower:
        return "down"
    return "same"


# Incomes --------------------------------------------------------------------------------------


def check_village(unit: Unit) -> None:
    if unit.kind not in VILLAGE_KINDS:
        raise ValidationError(
            {"village": _("“%(unit)s” is not a village or community.") % {"unit": unit.name}}
        )


def clean_income(values: dict) -> dict:
    """The sources of operating income, when given, add up to it exactly."""
    sources = sum((values.get(f) or ZERO for f in VillageIncome.SOURCE_FIELDS), ZERO)
    if sources and sources != values["operating_income"]:
        raise ValidationError(
            {
                "operating_income": _(
                    "The sources add up to %(sources)s yuan, not the operating income of "
                    "%(total)s yuan."
                )
                % {"sources": sources, "total": values["operating_income"]}
            }
        )
    return values


@transaction.atomic
def income_record(*, village: Unit, year: int, actor, **values) -> VillageIncome:
    check_village(village)
    _require(actor, village)
    clean_income(values)
    income, _created = VillageIncome.objects.select_for_update().get_or_create(
        village=village, year=year, defaults={**values, "recorded_by": actor}
    )
    if not _created:
        for name, value in values.items():
            setattr(income, name, value)
        income.recorded_by = actor
        income.save()
    return income


# Development models ----------------------------------------------------------------------------


def village_model_add(
    *, village: Unit, model: DevelopmentModel, actor, since_year=None
) -> VillageModel:
    check_village(village)
    _require(actor, village)
    if not village.path.startswith(model.district.path):
        raise ValidationError({"model": _("This model belongs to another district.")})
    link, _created = VillageModel.objects.get_or_create(
        village=village, model=model, defaults={"since_year": since_year}
    )
    return link


def village_model_remove(*, link: VillageModel, actor) -> None:
    _require(actor, link.village)
    link.delete()


# Measures -------------------------------------------------------------------------------------


ALLOWED_MEASURE_STEPS = {
    MeasureStatus.PLANNED: {MeasureStatus.IN_PROGRESS, MeasureStatus.DONE, MeasureStatus.CANCELLED},
    MeasureStatus.IN_PROGRESS: {MeasureStatus.DONE, MeasureStatus.CANCELLED, MeasureStatus.PLANNED},
    MeasureStatus.DONE: {MeasureStatus.IN_PROGRESS},
    MeasureStatus.CANCELLED: {MeasureStatus.PLANNED},
}


def _done_date(measure: IncomeMeasure) -> None:
    """A done measure carries the day it was done (today unless given); an open one none."""
    if measure.status == MeasureStatus.DONE:
        measure.done_on = measure.done_on or timezone.localdate()
    else:
        measure.done_on = None


def measure_create(*, village: Unit, actor, **values) -> IncomeMeasure:
    check_village(village)
    _require(actor, village)
    measure = IncomeMeasure(village=village, **values)
    _done_date(measure)
    measure.full_clean()
    measure.save()
    return measure


def measure_update(*, measure: IncomeMeasure, actor, **values) -> IncomeMeasure:
    _require(actor, measure.village)
    for name, value in values.items():
        setattr(measure, name, value)
    _done_date(measure)
    measure.full_clean()
    measure.save()
    return measure


@transaction.atomic
def measure_set_status(
    *, measure: IncomeMeasure, status: str, actor, on: datetime.date | None = None
) -> IncomeMeasure:
    """Move a measure along (planned → in progress → done; cancel; reopen). Concurrent changes:
    the row is locked, and a step that is no longer allowed is refused. Who keeps or handles
    the village's records may, and so may the measure's owner."""
    if not (
        may(actor, measure.village, MANAGE, HANDLE)
        or (measure.owner_id and measure.owner_id == actor.pk)
    ):
        _require(actor, measure.village, MANAGE, HANDLE)
    if status not in MeasureStatus.values:
        raise ValidationError(_("Unknown status."))
    measure = IncomeMeasure.objects.select_for_update().get(pk=measure.pk)
    if status not in ALLOWED_MEASURE_STEPS.get(measure.status, set()):
        raise ValidationError(
            _("A measure that is “%(now)s” cannot become “%(to)s”.")
            % {"now": measure.get_status_display(), "to": MeasureStatus(status).label}
        )
    measure.status = status
    measure.done_on = (on or timezone.localdate()) if status == MeasureStatus.DONE else None
    measure.save(update_fields=["status", "done_on", "updated_at"])
    return measure


# Projects -------------------------------------------------------------------------------------


def _check_project_villages(owner_unit: Unit, villages: Iterable[Unit]) -> list[Unit]:
    villages = list(villages)
    for village in villages:
        check_village(village)
        district_path = owner_unit.path[: Unit.steplen]
        if not village.path.startswith(district_path):
            raise ValidationError(
                {"villages": _("“%(unit)s” is in another district.") % {"unit": village.name}}
            )
    return villages


@transaction.atomic
def project_create(
    *,
    owner_unit: Unit,
    actor,
    name: str,
    year: int,
    villages: Iterable[Unit] = (),
    funding: dict[str, Decimal] | None = None,
    **values,
) -> Project:
    _require(actor, owner_unit)
    if owner_unit.kind not in (Unit.Kind.DISTRICT, *Unit.KINDS_BY_LEVEL[2]):
        raise ValidationError(
            {"owner_unit": _("A project is owned by a township or the district.")}
        )
    villages = _check_project_villages(owner_unit, villages)
    project = Project(owner_unit=owner_unit, name=name, year=year, **values)
    project.full_clean()
    project.save()
    ProjectVillage.objects.bulk_create(
        [ProjectVillage(project=project, village=v) for v in villages]
    )
    for kind, amount in (funding or {}).items():
        if amount:
            FundingSource.objects.create(project=project, kind=kind, amount=amount)
    return project


@transaction.atomic
def project_update(
    *, project: Project, actor, villages: Iterable[Unit] | None = None, **values
) -> Project:
    _require(actor, project.owner_unit)
    for name, value in values.items():
        setattr(project, name, value)
    project.full_clean()
    project.save()
    if villages is not None:
        villages = _check_project_villages(project.owner_unit, villages)
        keep = {v.pk for v in villages}
        project.project_villages.exclude(village_id__in=keep).delete()
        have = set(project.project_villages.values_list("village_id", flat=True))
        ProjectVillage.objects.bulk_create(
            [ProjectVillage(project=project, village_id=pk) for pk in keep - have]
        )
    return project


@transaction.atomic
def funding_set(
    *, project: Project, actor, kind: str, amount: Decimal, note: str = ""
) -> FundingSource | None:
    """Set one source's amount (0 removes it)."""
    _require(actor, project.owner_unit)
    if kind not in FundingKind.values:
        raise ValidationError({"kind": _("Unknown funding source.")})
    if not amount:
        FundingSource.objects.filter(project=project, kind=kind).delete()
        return None
    source, _created = FundingSource.objects.update_or_create(
        project=project, kind=kind, defaults={"amount": amount, "note": note}
    )
    return source


def rollup(milestones: Iterable[Milestone]) -> tuple[Decimal, dict[int, Decimal]]:
    """(project progress, {milestone pk: progress}) from a project's milestones.

    A leaf keeps its recorded progress; a parent's is Σ(weight × progress) / Σ weight over its
    children, the project's the same over the top level. Exact Decimal arithmetic, rounded
    half-up to 0.01 only when stored.
    """
    milestones = list(milestones)
    children = defaultdict(list)
    for m in milestones:
        children[m.parent_id].append(m)
    exact: dict[int, Decimal] = {}

    def value(m: Milestone) -> Decimal:
        kids = children.get(m.pk)
        if not kids:
            exact[m.pk] = m.progress
            return m.progress
        exact[m.pk] = _weighted(kids, value)
        return exact[m.pk]

    total = _weighted(children.get(None, []), value)
    return _round(total), {pk: _round(v) for pk, v in exact.items()}


def _weighted(items, value) -> Decimal:
    weights = sum((m.weight for m in items), ZERO)
    if not weights:
        return ZERO
    return sum((m.weight * value(m) for m in items), ZERO) / weights


def _round(value: Decimal) -> Decimal:
    return min(HUNDRED, value.quantize(CENT, rounding=ROUND_HALF_UP))


def _recompute_project(project: Project) -> Project:
    """Store the roll-up on the parents and the project; call inside the project's lock."""
    milestones = list(Milestone.objects.filter(project=project))
    total, values = rollup(milestones)
    today = timezone.localdate()
    changed = []
    last_done = {}
    for m in milestones:
        if m.done_on and m.parent_id:
            last_done[m.parent_id] = max(m.done_on, last_done.get(m.parent_id, m.done_on))
    for m in milestones:
        new = values[m.pk]
        done_on = m.done_on if new >= HUNDRED else None
        if new >= HUNDRED and done_on is None:
            # A parent is done the day its last part was (recorded just now: today).
            done_on = last_done.get(m.pk, today)
        if new != m.progress or done_on != m.done_on:
            m.progress, m.done_on = new, done_on
            changed.append(m)
    Milestone.objects.bulk_update(changed, ["progress", "done_on"])
    fields = ["progress", "updated_at"]
    project.progress = total
    if project.status != ProjectStatus.SUSPENDED:
        status = project.status
        if total >= HUNDRED:
            status = ProjectStatus.COMPLETED
        elif total > 0 or project.status == ProjectStatus.COMPLETED:
            status = ProjectStatus.IN_PROGRESS
        if status != project.status:
            project.status = status
            fields.append("status")
    project.save(update_fields=fields)
    return project


def _lock(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


@transaction.atomic
def milestone_add(
    *,
    project: Project,
    actor,
    name: str,
    weight: Decimal = Decimal("1.00"),
    due_on: datetime.date | None = None,
    parent: Milestone | None = None,
    order: int | None = None,
) -> Milestone:
    _require(actor, project.owner_unit)
    project = _lock(project)
    if parent is not None and parent.project_id != project.pk:
        raise ValidationError({"parent": _("The milestone belongs to another project.")})
    if parent is not None and parent.parent_id is not None and parent.parent.parent_id is not None:
        raise ValidationError({"parent": _("Milestones nest at most three levels deep.")})
    if order is None:
        order = Milestone.objects.filter(project=project, parent=parent).count()
    milestone = Milestone(
        project=project, parent=parent, name=name, weight=weight, due_on=due_on, order=order
    )
    milestone.full_clean()
    milestone.save()
    _recompute_project(project)
    milestone.refresh_from_db()
    return milestone


@transaction.atomic
def milestone_record(
    *, milestone: Milestone, actor, progress: Decimal, on: datetime.date | None = None
) -> Project:
    """Record a leaf milestone's progress (100 = done) and roll the project up.

    The project row is locked first, so two people recording milestones of the same project at
    once are applied one after the other and the stored roll-up sees both.
    """
    _require(actor, milestone.project.owner_unit, MANAGE, HANDLE)
    project = _lock(milestone.project)
    milestone = Milestone.objects.get(pk=milestone.pk)
    if Milestone.objects.filter(parent=milestone).exists():
        raise ValidationError(
            _("The progress of “%(name)s” is rolled up from its parts; record those instead.")
            % {"name": milestone.name}
        )
    if project.status == ProjectStatus.SUSPENDED:
        raise ValidationError(_("The project is suspended; resume it before recording progress."))
    if not (ZERO <= progress <= HUNDRED):
        raise ValidationError({"progress": _("Progress is between 0 and 100.")})
    milestone.progress = progress.quantize(CENT)
    milestone.done_on = (on or timezone.localdate()) if progress >= HUNDRED else None
    milestone.save(update_fields=["progress", "done_on"])
    return _recompute_project(project)


@transaction.atomic
def milestone_delete(*, milestone: Milestone, actor) -> Project:
    _require(actor, milestone.project.owner_unit)
    project = _lock(milestone.project)
    milestone.delete()
    return _recompute_project(project)


@transaction.atomic
def project_set_status(*, project: Project, actor, status: str) -> Project:
    _require(actor, project.owner_unit)
    project = _lock(project)
    if status not in ProjectStatus.values:
        raise ValidationError(_("Unknown status."))
    if status == ProjectStatus.COMPLETED and project.progress < HUNDRED:
        raise ValidationError(_("A project is completed when all its milestones are done."))
    project.status = status
    project.save(update_fields=["status", "updated_at"])
    if status != ProjectStatus.SUSPENDED:
        _recompute_project(project)
    return project


def attachment_add(*, project: Project, actor, **values) -> Attachment:
    """A photo or document of the project (who keeps or handles its records)."""
    _require(actor, project.owner_unit, MANAGE, HANDLE)
    return Attachment.objects.create(project=project, uploaded_by=actor, **values)


# Pairing --------------------------------------------------------------------------------------


def enterprise_create(*, unit: Unit, actor, name: str, **values) -> Enterprise:
    """Register an enterprise at a township or the district. Who keeps the records of the unit
    may, and so may who keeps a village's below it (an import of the village's pairings
    registers the enterprise at its township)."""
    if not may(actor, unit) and not any(
        u.path.startswith(unit.path) for u in access.units_where(actor, MANAGE)
    ):
        _require(actor, unit)
    enterprise = Enterprise(unit=unit, name=name, **values)
    try:
        enterprise.full_clean()
    except ValidationError as error:
        if "__all__" in error.message_dict:
            raise ValidationError(
                {"name": _("An enterprise with this name is already registered here.")}
            ) from None
        raise
    enterprise.save()
    return enterprise


def pairing_create(
    *, village: Unit, enterprise: Enterprise, actor, since: datetime.date, agreement: str = ""
) -> Pairing:
    check_village(village)
    _require(actor, village)
    if not village.path.startswith(enterprise.unit.path[: Unit.steplen]):
        raise ValidationError(
            {"enterprise": _("The enterprise is registered in another district.")}
        )
    try:
        with transaction.atomic():
            return Pairing.objects.create(
                village=village, enterprise=enterprise, since=since, agreement=agreement
            )
    except IntegrityError:
        raise ValidationError(
            {
                "enterprise": _("%(enterprise)s is already paired with %(village)s.")
                % {"enterprise": enterprise.name, "village": village.name}
            }
        ) from None


def pairing_agreement_set(*, pairing: Pairing, actor, agreement: str) -> Pairing:
    _require(actor, pairing.village)
    pairing.agreement = agreement
    pairing.save(update_fields=["agreement"])
    return pairing


def pairing_end(*, pairing: Pairing, actor, on: datetime.date) -> Pairing:
    _require(actor, pairing.village)
    if on < pairing.since:
        raise ValidationError({"ended_on": _("A pairing cannot end before it began.")})
    pairing.ended_on = on
    pairing.save(update_fields=["ended_on"])
    return pairing


def pairing_result_record(*, pairing: Pairing, actor, year: int, **values) -> PairingResult:
    _require(actor, pairing.village)
    if year < pairing.since.year:
        raise ValidationError(
            {"year": _("The pairing began in %(year)s.") % {"year": pairing.since.year}}
        )
    result, _created = PairingResult.objects.update_or_create(
        pairing=pairing, year=year, defaults=values
    )
    return result


# Common-prosperity companies ----------------------------------------------------------------


def company_create(*, township: Unit, actor, name: str, **values) -> ProsperityCompany:
    _require(actor, township)
    if township.kind not in Unit.KINDS_BY_LEVEL[2]:
        raise ValidationError(
            {"township": _("A common-prosperity company is set up by a township.")}
        )
    company = ProsperityCompany(township=township, name=name, **values)
    try:
        company.full_clean()
    except ValidationError as error:
        if "__all__" in error.message_dict:
            raise ValidationError(
                {"name": _("The township has a company with this name.")}
            ) from None
        raise
    company.save()
    return company


@transaction.atomic
def shareholding_set(
    *, company: ProsperityCompany, actor, village: Unit, capital: Decimal, share: Decimal
) -> Shareholding:
    _require(actor, company.township)
    check_village(village)
    if not village.path.startswith(company.township.path[: Unit.steplen]):
        raise ValidationError({"village": _("The village is in another district.")})
    company = ProsperityCompany.objects.select_for_update().get(pk=company.pk)
    others = sum((s.share for s in company.shareholdings.exclude(village=village)), ZERO)
    if others + share > HUNDRED:
        raise ValidationError(
            {
                "share": _("The shares would add up to more than 100%%: others hold %(others)s%%.")
                % {"others": others}
            }
        )
    holding, _created = Shareholding.objects.update_or_create(
        company=company, village=village, defaults={"capital": capital, "share": share}
    )
    return holding


@transaction.atomic
def company_year_record(
    *,
    company: ProsperityCompany,
    actor,
    year: int,
    revenue: Decimal,
    profit: Decimal,
    dividends: dict[int, Decimal],
) -> CompanyYear:
    """A year's revenue and profit, and the dividends paid to shareholding villages."""
    _require(actor, company.township)
    holders = set(company.shareholdings.values_list("village_id", flat=True))
    stray = set(dividends) - holders
    if stray:
        raise ValidationError({"dividends": _("Dividends go to villages that hold shares.")})
    entry, _created = CompanyYear.objects.update_or_create(
        company=company, year=year, defaults={"revenue": revenue, "profit": profit}
    )
    for village_id, amount in dividends.items():
        Dividend.objects.update_or_create(
            company=company, village_id=village_id, year=year, defaults={"amount": amount}
        )
    return entry
