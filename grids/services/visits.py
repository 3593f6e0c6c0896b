"""Writes of visit logs: filing a visit, raising a problem from it, reviewing it.

Keyword-only functions, each in one transaction. A problem raised from a visit goes into the
grid problem ledger of the household's community through governance.ledger.services, so the
ledger keeps its own history and deadlines; the visit and the item point at each other
(visit.ledger_item, item.source_record).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import access
from governance.ledger import services as ledger_services
from governance.models import (
    GridAction,
    Ledger,
    LedgerItem,
    LedgerKind,
    MatterCategory,
    Source,
)
from grids.models import Household, ReviewStatus, VisitKind, VisitLog

REVIEW_DECISIONS = (ReviewStatus.APPROVED, ReviewStatus.REJECTED, ReviewStatus.ON_HOLD)


def may_file(user, household: Household) -> bool:
    """Grid workers of the household's grid and staff above it who register items there."""
    return access.can(user, "create_items", household.grid)


def may_review(user, visit: VisitLog) -> bool:
    """Staff who handle items at the visit's community or above."""
    return access.can(user, "handle_items", visit.grid.parent)


def grid_problem_ledger(grid) -> Ledger | None:
    """The grid problem ledger of the grid's village or community (the oldest active one)."""
    return (
        Ledger.objects.filter(unit_id=grid.parent_id, kind=LedgerKind.GRID_PROBLEM, is_active=True)
        .order_by("pk")
        .first()
    )


def grid_categories(grid):
    """The grid matters catalogue of the grid's district: active categories marked handle/report."""
    return (
        MatterCategory.objects.filter(district__path=grid.path[: grid.steplen], is_active=True)
        .exclude(grid_action="")
        .order_by("code")
    )


def _check_location(latitude, longitude, accuracy_m) -> None:
    if (latitude is None) != (longitude is None):
        raise ValidationError(_("A location needs both latitude and longitude."))
    if latitude is not None and not (
        Decimal(-90) <= Decimal(latitude) <= Decimal(90)
        and Decimal(-180) <= Decimal(longitude) <= Decimal(180)
    ):
        raise ValidationError(_("The location is not a valid place on Earth."))
    if accuracy_m is not None and accuracy_m < 0:
        raise ValidationError(_("The location accuracy cannot be negative."))


@transaction.atomic
def visit_file(
    *,
    household: Household,
    worker,
    kind: str,
    all_well: bool = False,
    observed: str = "",
    demands: str = "",
    photo=None,
    visited_at: datetime.datetime | None = None,
    latitude=None,
    longitude=None,
    accuracy_m: int | None = None,
) -> VisitLog:
    """File one visit and move the household's last visit forward (never backward)."""
    if not may_file(worker, household):
        raise PermissionDenied(_("You may not file visits for this household."))
    if not household.is_active:
        raise ValidationError(_("This household is no longer on the register."))
    if kind not in VisitKind.values:
        raise ValidationError(_("Choose how the visit was made."))
    now = timezone.now()
    visited_at = visited_at or now
    if visited_at > now:
        raise ValidationError(_("A visit cannot be filed for a time in the future."))
    observed, demands = observed.strip(), demands.strip()
    if not (all_well or observed or demands):
        raise ValidationError(
            _("Write down what you observed or the residents' demands, or mark it all well.")
        )
    if accuracy_m is not None:
        accuracy_m = round(accuracy_m)
    _check_location(latitude, longitude, accuracy_m)
    visit = VisitLog(
        household=household,
        grid_id=household.grid_id,
        worker=worker,
        kind=kind,
        all_well=all_well,
        observed=observed,
        demands=demands,
        visited_at=visited_at,
        latitude=latitude,
        longitude=longitude,
        accuracy_m=accuracy_m,
    )
    if photo:
        visit.photo = photo
    visit.save()
    # One conditional UPDATE: of two visits filed at once, the later visited_at wins whatever
    # order they commit in (the WHERE is re-checked on the locked row), and a backdated visit
    # never moves the date back.
    updated = (
        Household.objects.filter(pk=household.pk)
        .filter(Q(last_visited_at__isnull=True) | Q(last_visited_at__lt=visited_at))
        .update(last_visited_at=visited_at)
    )
    if updated:
        household.last_visited_at = visited_at
    return visit


@transaction.atomic
def visit_raise_problem(
    *,
    visit: VisitLog,
    actor,
    title: str,
    category: MatterCategory,
    description: str = "",
    handled_on_spot: bool = False,
    result: str = "",
) -> LedgerItem:
    """Register the problem in the community's grid problem ledger, linked both ways; the
    visit's photo goes with it as the item's attachment.

    A "handle directly" matter handled on the spot is accepted and resolved at once by the
    worker (the item's handler), with `result` as what was done; a "report" matter is left for
    the community.
    """
    given = visit
    visit = (
        VisitLog.objects.select_for_update(of=("self",))
        .select_related("household", "grid", "grid__parent")
        .get(pk=visit.pk)
    )
    grid = visit.grid
    if not access.can(actor, "create_items", grid):
        raise PermissionDenied(_("You may not raise problems in this grid."))
    if visit.ledger_item_id is not None:
        raise ValidationError(_("This visit has already raised a problem."))
    if category is None or not grid_categories(grid).filter(pk=category.pk).exists():
        raise ValidationError(_("Choose a matter from the grid matters catalogue."))
    if handled_on_spot and category.grid_action != GridAction.HANDLE:
        raise ValidationError(
            _("“%(category)s” must be reported; it cannot be handled on the spot.")
            % {"category": category.name}
        )
    result = result.strip()
    if handled_on_spot and not result:
        raise ValidationError(_("Write down how the matter was handled on the spot."))
    ledger = grid_problem_ledger(grid)
    if ledger is None:
        raise ValidationError(
            _(
                "%(community)s has no grid problem ledger yet. Ask the community to set one up "
                "before raising problems."
            )
            % {"community": grid.parent.name}
        )
    household = visit.household
    item = ledger_services.item_create(
        ledger=ledger,
        title=title,
        unit=grid,
        actor=actor,
        source=Source.GRID_VISIT,
        source_record=visit,
        attachments=[visit.photo] if visit.photo else [],
        category=category,
        description=description.strip() or "\n".join(filter(None, [visit.demands, visit.observed])),
        resident_name=household.head_name,
        resident_phone=household.head_phone,
        received_at=visit.visited_at,
        # The worker who raises it is its handler, so that handling it on the spot is theirs.
        handler=actor if handled_on_spot else None,
    )
    if handled_on_spot:
        item = ledger_services.item_accept(
            item=item, actor=actor, note=_("Handled on the spot during a visit.")
        )
        item = ledger_services.item_resolve(item=item, actor=actor, result=result)
    visit.ledger_item = item
    visit.handled_on_spot = handled_on_spot
    visit.save(update_fields=["ledger_item", "handled_on_spot"])
    given.ledger_item, given.handled_on_spot = item, handled_on_spot
    return item


@transaction.atomic
def visit_supplement(*, visit: VisitLog, actor, text: str, photo=None) -> VisitLog:
    """The worker answers a "not approved": what they add is appended to the record (the
    original text and the reviewer's reason stay readable above it), a photo may be added if
    the visit has none, and the visit goes back to the reviewer."""
    visit = VisitLog.objects.select_for_update(of=("self",)).get(pk=visit.pk)
    if visit.worker_id != actor.pk:
        raise PermissionDenied(_("Only who filed a visit may supplement it."))
    if visit.review_status != ReviewStatus.REJECTED:
        raise ValidationError(_("Only a visit that was not approved can be supplemented."))
    text = text.strip()
    if not text:
        raise ValidationError(_("Write down what you add to the visit."))
    if photo and visit.photo:
        raise ValidationError(_("This visit already has a photo."))
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    heading = _("Supplement %(time)s (not approved: %(reason)s)") % {
        "time": stamp,
        "reason": visit.review_note,
    }
    visit.observed = "\n\n".join(filter(None, [visit.observed, f"【{heading}】\n{text}"]))
    fields = ["observed", "review_status", "review_note", "reviewed_by", "reviewed_at"]
    if photo:
        visit.photo = photo
        fields.append("photo")
    visit.review_status = ReviewStatus.PENDING
    visit.review_note, visit.reviewed_by, visit.reviewed_at = "", None, None
    visit.save(update_fields=fields)
    return visit


@transaction.atomic
def visit_review(*, visit: VisitLog, actor, status: str, note: str = "") -> VisitLog:
    """Approve, reject or put on hold, with a note; the visit itself is never deleted."""
    visit = (
        VisitLog.objects.select_for_update(of=("self",))
        .select_related("grid", "grid__parent")
        .get(pk=visit.pk)
    )
    if not may_review(actor, visit):
        raise PermissionDenied(_("Your role may not review visits of this grid."))
    if visit.worker_id == actor.pk:
        raise PermissionDenied(_("A visit is reviewed by someone other than who filed it."))
    if status not in REVIEW_DECISIONS:
        raise ValidationError(_("Choose approved, not approved or on hold."))
    note = note.strip()
    if status == ReviewStatus.REJECTED and not note:
        raise ValidationError(_("Say why the visit is not approved."))
    visit.review_status = status
    visit.review_note = note
    visit.reviewed_by = actor
    visit.reviewed_at = timezone.now()
    visit.save(update_fields=["review_status", "review_note", "reviewed_by", "reviewed_at"])
    return visit
