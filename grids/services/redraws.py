"""Re-drawing grids (网格优化调整) within a community: moving households, splitting a grid,
merging two. Keyword-only, validated, one transaction each.

A re-drawing is recorded as a Redraw with one HouseholdMove per household that changed grid.
Visit logs are not touched: each keeps the grid it was filed in, so a grid's history stays
where it happened while the household carries on in its new grid.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance import access
from governance import services as unit_services
from governance.models import Unit
from governance.normalize import clean_text
from grids.models import GridAssignment, GridProfile, Household, HouseholdMove, Redraw


def community_grids(community: Unit):
    return Unit.objects.filter(parent=community, kind=Unit.Kind.GRID)


def _check_redraw(*, community: Unit, actor, reason: str, grids: Iterable[Unit]) -> str:
    if community.kind not in Unit.KINDS_BY_LEVEL[3]:
        raise ValidationError(_("Grids are re-drawn within a village or community."))
    if not access.can(actor, "manage_units", community):
        raise PermissionDenied(
            _("Your role may not re-draw the grids of %(unit)s.") % {"unit": community.name}
        )
    for grid in grids:
        if grid.kind != Unit.Kind.GRID or grid.parent_id != community.pk:
            raise ValidationError(
                _("%(grid)s is not a grid of %(unit)s.")
                % {"grid": grid.name, "unit": community.name}
            )
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for the re-drawing.")]})
    return reason


def _move(redraw: Redraw, households: list[Household], to_grid: Unit) -> None:
    HouseholdMove.objects.bulk_create(
        HouseholdMove(redraw=redraw, household=h, from_grid_id=h.grid_id, to_grid=to_grid)
        for h in households
    )
    Household.objects.filter(pk__in=[h.pk for h in households]).update(grid=to_grid)


def _locked(households) -> list[Household]:
    pks = [h.pk for h in households]
    return list(Household.objects.select_for_update().filter(pk__in=pks).order_by("pk"))


@transaction.atomic
def redraw_move(
    *,
    community: Unit,
    households: Iterable[Household],
    to_grid: Unit,
    reason: str,
    effective_on: date,
    actor,
    kind: str = Redraw.Kind.MOVE,
) -> Redraw:
    """Move households (whole buildings, as a rule) from grids of the community to `to_grid`."""
    households = _locked(households)
    from_grids = Unit.objects.filter(pk__in={h.grid_id for h in households})
    reason = _check_redraw(
        community=community, actor=actor, reason=reason, grids=[to_grid, *from_grids]
    )
    if not households:
        raise ValidationError(_("Choose the households or buildings to move."))
    if not to_grid.is_active:
        raise ValidationError(_("%(grid)s is no longer active.") % {"grid": to_grid.name})
    if any(h.grid_id == to_grid.pk for h in households):
        raise ValidationError(
            _("Some of the chosen households are in %(grid)s already.") % {"grid": to_grid.name}
        )
    redraw = Redraw.objects.create(
        community=community, kind=kind, effective_on=effective_on, reason=reason, actor=actor
    )
    _move(redraw, households, to_grid)
    return redraw


@transaction.atomic
def redraw_split(
    *,
    community: Unit,
    grid: Unit,
    households: Iterable[Household],
    new_grid_name: str,
    reason: str,
    effective_on: date,
    actor,
    new_grid_code: str | None = None,
) -> Redraw:
    """Split `grid`: a new grid of the community takes the chosen households."""
    households = _locked(households)
    _check_redraw(community=community, actor=actor, reason=reason, grids=[grid])
    if not households:
        raise ValidationError(_("Choose the households or buildings the new grid takes."))
    if any(h.grid_id != grid.pk for h in households):
        raise ValidationError(
            _("Only households of %(grid)s can go to the new grid.") % {"grid": grid.name}
        )
    new_grid = unit_services.unit_create(
        parent=community, kind=Unit.Kind.GRID, name=new_grid_name, code=new_grid_code
    )
    profile = GridProfile.objects.filter(grid=grid).first()
    GridProfile.objects.create(grid=new_grid, kind=profile.kind if profile else GridProfile().kind)
    return redraw_move(
        community=community,
        households=households,
        to_grid=new_grid,
        reason=reason,
        effective_on=effective_on,
        actor=actor,
        kind=Redraw.Kind.SPLIT,
    )


@transaction.atomic
def redraw_merge(
    *, community: Unit, into: Unit, merged: Unit, reason: str, effective_on: date, actor
) -> Redraw:
    """Merge grid `merged` into grid `into`: every household moves, `merged` is deactivated
    and its workers' assignments end on the day the merger takes effect."""
    reason = _check_redraw(community=community, actor=actor, reason=reason, grids=[into, merged])
    if into.pk == merged.pk:
        raise ValidationError(_("A grid cannot be merged into itself."))
    if not into.is_active:
        raise ValidationError(_("%(grid)s is no longer active.") % {"grid": into.name})
    households = list(Household.objects.select_for_update().filter(grid=merged).order_by("pk"))
    redraw = Redraw.objects.create(
        community=community,
        kind=Redraw.Kind.MERGE,
        effective_on=effective_on,
        reason=reason,
        actor=actor,
    )
    _move(redraw, households, into)
    unit_services.unit_update(unit=merged, is_active=False)
    GridAssignment.objects.filter(grid=merged, ended_on__isnull=True).update(ended_on=effective_on)
    return redraw
