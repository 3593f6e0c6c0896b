"""Writes of 'red property' (红色物业).

Who may do what (governance.access capabilities)
- manage_ledgers at the district: register property companies and set the district's
  evaluation criteria.
- manage_people at the community: register estates and record which company serves them.
- manage_ledgers at the community: evaluate a company for a quarter.
- create_items at the community: enter a property complaint into one of its ledgers.

Rules
- The active criteria of a district have weights that add up to exactly 100; saving a set that
  does not is refused. Criteria replaced by a new set are deactivated, not deleted, and every
  evaluation keeps the names and weights it was scored with.
- An evaluation is for a quarter ("2026-Q3") that has started, by a community one of whose
  estates the company served on some day of it; one per company, community and quarter. It
  scores every active criterion from 0 to 100; score = Σ weight × criterion score / 100,
  rounded to 0.01 (Decimal, half up).
- A complaint is a ledger item (source PROPERTY) registered through governance.ledger.services
  in a ledger of the estate's community, linked to the company.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import access
from governance.ledger import services as ledger_services
from governance.models import Ledger, Source, Unit
from governance.normalize import clean_text, normalize_phone
from outreach import evaluation_periods as periods
from outreach.models import (
    Estate,
    EvaluationCriterion,
    PropertyCompany,
    PropertyComplaint,
    PropertyContract,
    PropertyEvaluation,
    PropertyEvaluationScore,
)
from outreach.services.reception import COMMUNITY_KINDS

TOTAL_WEIGHT = 100
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def normalize_credit_code(value: str) -> str:
    """The unified social credit code (GB 32100-2015): 18 characters, last one a check digit."""
    code = "".join((value or "").split()).upper()
    if not code:
        return ""
    if len(code) != 18 or any(c not in CREDIT_CHARS for c in code):
        raise ValidationError(_("A unified social credit code has 18 digits and capital letters."))
    total = sum(CREDIT_CHARS.index(c) * w for c, w in zip(code, CREDIT_WEIGHTS, strict=False))
    if CREDIT_CHARS[(31 - total % 31) % 31] != code[-1]:
        raise ValidationError(_("The unified social credit code's check digit does not match."))
    return code


def company_register(
    *, district: Unit, name: str, actor, credit_code: str = "", contact_name="", contact_phone=""
) -> PropertyCompany:
    if district.depth != 1:
        raise ValidationError(_("Companies are registered with a district."))
    access.require(actor, "manage_ledgers", district)
    name = clean_text(name)
    if not name:
        raise ValidationError(_("Give the company's name."))
    code = normalize_credit_code(credit_code)
    if PropertyCompany.objects.filter(district=district, name=name).exists():
        raise ValidationError(_("%(name)s is already registered.") % {"name": name})
    if code and PropertyCompany.objects.filter(credit_code=code).exists():
        raise ValidationError(_("A company with this credit code is already registered."))
    try:
        with transaction.atomic():
            return PropertyCompany.objects.create(
                district=district,
                name=name,
                credit_code=code or None,
                contact_name=clean_text(contact_name),
                contact_phone=normalize_phone(contact_phone),
            )
    except IntegrityError:
        raise ValidationError(_("%(name)s is already registered.") % {"name": name}) from None


def estate_add(
    *, community: Unit, name: str, actor, address: str = "", households: int = 0
) -> Estate:
    if community.kind not in COMMUNITY_KINDS:
        raise ValidationError(_("Choose a community or village."))
    access.require(actor, "manage_people", community)
    name = clean_text(name)
    if not name:
        raise ValidationError(_("Give the estate's name."))
    if households < 0:
        raise ValidationError(_("The number of households cannot be negative."))
    try:
        with transaction.atomic():
            return Estate.objects.create(
                community=community, name=name, address=clean_text(address), households=households
            )
    except IntegrityError:
        raise ValidationError(
            _("%(unit)s already has an estate named %(name)s.")
            % {"unit": community.name, "name": name}
        ) from None


@transaction.atomic
def contract_start(
    *, estate: Estate, company: PropertyCompany, started_on: datetime.date, actor
) -> PropertyContract:
    """The company serves the estate from `started_on`; the contract it replaces ends that day."""
    access.require(actor, "manage_people", estate.community)
    if not estate.community.path.startswith(company.district.path):
        raise ValidationError(_("Choose a company of the estate's district."))
    current = PropertyContract.objects.select_for_update().filter(estate=estate).current().first()
    if current is not None:
        if current.company_id == company.pk:
            raise ValidationError(_("This company already serves the estate."))
        if started_on <= current.started_on:
            raise ValidationError(
                _("The current contract began on %(day)s; the new one must start later.")
                % {"day": current.started_on.isoformat()}
            )
        current.ended_on = started_on
        current.save(update_fields=["ended_on"])
    return PropertyContract.objects.create(estate=estate, company=company, started_on=started_on)


@transaction.atomic
def criteria_set(
    *, district: Unit, rows: list[tuple[str, int]], actor
) -> list[EvaluationCriterion]:
    """Replace the district's active criteria by `rows` (name, weight), weights adding to 100."""
    if district.depth != 1:
        raise ValidationError(_("Criteria are set by a district."))
    access.require(actor, "manage_ledgers", district)
    cleaned = [(clean_text(name), weight) for name, weight in rows if clean_text(name)]
    if not cleaned:
        raise ValidationError(_("Give at least one criterion."))
    names = [name for name, _weight in cleaned]
    if len(set(names)) != len(names):
        raise ValidationError(_("Each criterion appears once."))
    if any(not isinstance(w, int) or not 1 <= w <= TOTAL_WEIGHT for _n, w in cleaned):
        raise ValidationError(_("Each weight is a whole number from 1 to 100."))
    total = sum(w for _n, w in cleaned)
    if total != TOTAL_WEIGHT:
        raise ValidationError(
            _("The weights add up to %(total)d; they must add up to 100.") % {"total": total}
        )
    list(EvaluationCriterion.objects.select_for_update().filter(district=district))
    EvaluationCriterion.objects.filter(district=district, is_active=True).update(is_active=False)
    return [
        EvaluationCriterion.objects.create(district=district, name=name, weight=weight, order=i)
        for i, (name, weight) in enumerate(cleaned, start=1)
    ]


def active_criteria(district: Unit) -> list[EvaluationCriterion]:
    return list(EvaluationCriterion.objects.filter(district=district, is_active=True))


def served_communities(company: PropertyCompany, start, end):
    """Communities where the company served an estate on some day of [start, end)."""
    return Unit.objects.filter(
        pk__in=PropertyContract.objects.filter(company=company)
        .overlapping(start, end)
        .values("estate__community")
    )


def weighted_score(pairs: list[tuple[int, Decimal]]) -> Decimal:
    total = sum((Decimal(weight) * score for weight, score in pairs), Decimal(0))
    return (total / TOTAL_WEIGHT).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def property_evaluate(
    *,
    community: Unit,
    company: PropertyCompany,
    period: str,
    scores: dict[int, object],
    actor,
    note: str = "",
) -> PropertyEvaluation:
    """Rate `company` for a quarter; `scores` maps each active criterion's id to 0–100."""
    access.require(actor, "manage_ledgers", community)
    period = periods.normalize(period)
    if periods.parse(period)[1] != periods.QUARTER:
        raise ValidationError(_("Property companies are evaluated per quarter, e.g. 2026-Q3."))
    start, end = periods.bounds(period)
    if start > timezone.localdate():
        raise ValidationError(_("This period has not started yet."))
    if not served_communities(company, start, end).filter(pk=community.pk).exists():
        raise ValidationError(
            _("%(name)s did not serve an estate of %(unit)s in this period.")
            % {"name": company.name, "unit": community.name}
        )
    criteria = active_criteria(community.district)
    if sum(c.weight for c in criteria) != TOTAL_WEIGHT:
        raise ValidationError(
            _("The district's criteria are not set up (their weights must add up to 100).")
        )
    values = []
    for criterion in criteria:
        raw = scores.get(criterion.pk)
        try:
            value = Decimal(str(raw)).quantize(Decimal("0.1"))
        except (InvalidOperation, ValueError):
            raise ValidationError(
                _("Score “%(name)s” from 0 to 100.") % {"name": criterion.name}
            ) from None
        if raw in (None, "") or not 0 <= value <= 100:
            raise ValidationError(_("Score “%(name)s” from 0 to 100.") % {"name": criterion.name})
        values.append((criterion, value))
    try:
        with transaction.atomic():
            evaluation = PropertyEvaluation.objects.create(
                community=community,
                company=company,
                period=period,
                score=weighted_score([(c.weight, v) for c, v in values]),
                note=(note or "").strip(),
                evaluated_by=actor,
            )
            PropertyEvaluationScore.objects.bulk_create(
                PropertyEvaluationScore(
                    evaluation=evaluation, criterion=c, name=c.name, weight=c.weight, score=v
                )
                for c, v in values
            )
    except IntegrityError:
        raise ValidationError(
            _("%(unit)s has already evaluated %(name)s for this period.")
            % {"unit": community.name, "name": company.name}
        ) from None
    return evaluation


@transaction.atomic
def complaint_file(
    *,
    company: PropertyCompany,
    estate: Estate,
    ledger: Ledger,
    title: str,
    actor,
    description: str = "",
    resident_name: str = "",
    resident_phone: str = "",
) -> PropertyComplaint:
    if not PropertyContract.objects.filter(company=company, estate=estate).exists():
        raise ValidationError(_("This company does not serve that estate."))
    if ledger.unit_id != estate.community_id:
        raise ValidationError(_("Choose a ledger of the estate's community."))
    item = ledger_services.item_create(
        ledger=ledger,
        title=title,
        unit=estate.community,
        actor=actor,
        source=Source.PROPERTY,
        description=description,
        resident_name=resident_name,
        resident_phone=resident_phone,
        source_record=company,
    )
    return PropertyComplaint.objects.create(item=item, company=company, estate=estate)
