"""Writes to the household register and grid re-drawings. Keyword-only, validated, one
transaction each.

Households are entered and edited by staff who manage people at the grid (manage_people); a
household is deactivated, never deleted, because its visit logs are the coverage record.

A re-drawing (网格优化调整) is recorded as a Redraw with one HouseholdMove per household that
changed grid. Visit logs are not touched: each keeps the grid it was filed in, so a grid's
history stays where it happened while the household carries on in its new grid.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance import access
from governance import services as unit_services
from governance.models import AuditEvent, Unit
from governance.normalize import clean_compact, clean_text, normalize_id_number, normalize_phone
from governance.services import audit_record
from grids.models import CareTag, GridAssignment, GridProfile, Household, HouseholdMove, Redraw

HOUSEHOLD_FIELDS = (
    "building",
    "entrance",
    "room",
    "address",
    "head_name",
    "head_phone",
    "head_id_number",
    "members",
    "note",
)


def district_of(unit: Unit) -> str:
    """The path of the district a unit belongs to."""
    return unit.path[: Unit.steplen]


def care_tags_for(user):
    """The care tags of the districts the user works in.

    Not CareTag.objects.for_user: tags belong to the district, which lies above the scope of
    everyone below the district, yet a grid worker tags households with them.
    """
    if user.is_superuser:
        return CareTag.objects.all()
    districts = {district_of(m.unit) for m in access.memberships(user)}
    return (
        CareTag.objects.filter(district__path__in=districts)
        if districts
        else CareTag.objects.none()
    )


def place_key(grid_id: int, values: dict) -> tuple | None:
    """What makes two households the same place: grid, building, entrance and room; without a
    room, the grid and the address. None when neither is given (a village group of many)."""
    if values.get("room"):
        return (grid_id, values.get("building", ""), values.get("entrance", ""), values["room"])
    if values.get("address"):
        return (grid_id, values["address"])
    return None


def clean_household_values(values: dict) -> dict:
    """Fold full-width characters and spaces; check phone and ID number. Errors keyed by field."""
    cleaned = dict(values)
    errors: dict[str, list[str]] = {}
    for name in ("building", "address", "head_name"):
        if name in cleaned:
            cleaned[name] = clean_text(cleaned[name])
    for name in ("entrance", "room"):
        if name in cleaned:
            # 3单元 and 301 are codes: no inner spaces either.
            cleaned[name] = clean_compact(cleaned[name])
    for name, normalize in (
        ("head_phone", normalize_phone),
        ("head_id_number", normalize_id_number),
    ):
        if name in cleaned:
            try:
                cleaned[name] = normalize(cleaned[name])
            except ValidationError as error:
                errors[name] = error.messages
    if "head_name" in cleaned and not cleaned["head_name"]:
        errors["head_name"] = [_("This field is required.")]
    if "members" in cleaned and (cleaned["members"] is None or cleaned["members"] < 1):
        errors["members"] = [_("A household has at least one member.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


def check_duplicates(values: dict, grid: Unit, *, exclude_pk: int | None = None) -> None:
    """Refuse a second active household at the same place or with the same head's ID number."""
    errors: dict[str, list[str]] = {}
    others = Household.objects.active()
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    key = place_key(grid.pk, values)
    if key is not None:
        same_place = (
            others.filter(grid=grid, building=key[1], entrance=key[2], room=key[3])
            if len(key) == 4
            else others.filter(grid=grid, address=key[1])
        )
        if same_place.exists():
            errors["room" if len(key) == 4 else "address"] = [
                _("A household at this address is already registered in %(grid)s.")
                % {"grid": grid.name}
            ]
    if (
        values.get("head_id_number")
        and others.filter(head_id_number=values["head_id_number"]).exists()
    ):
        errors["head_id_number"] = [
            _("A household whose head has this ID card number is already registered.")
        ]
    if errors:
        raise ValidationError(errors)


def _require_manage(actor, grid: Unit) -> None:
    if grid.kind != Unit.Kind.GRID:
        raise ValidationError({"grid": [_("Households belong to a grid.")]})
    if not access.can(actor, "manage_households", grid):
        raise PermissionDenied(
            _("Your role may not manage the households of %(grid)s.") % {"grid": grid.name}
        )


def _check_tags(tags: Iterable[CareTag], grid: Unit) -> list[CareTag]:
    tags = list(tags)
    district = district_of(grid)
    if any(tag.district.path != district for tag in tags):
        raise ValidationError({"tags": [_("Care tags come from the grid's own district.")]})
    return tags


@transaction.atomic
def household_create(*, grid: Unit, actor, head_name: str, tags=(), **fields) -> Household:
    _require_manage(actor, grid)
    values = clean_household_values({"head_name": head_name, **fields})
    check_duplicates(values, grid)
    tags = _check_tags(tags, grid)
    household = Household(grid=grid, **values)
    household.full_clean()
    household.save()
    household.tags.set(tags)
    return household


@transaction.atomic
def household_update(*, household: Household, actor, tags=None, **fields) -> Household:
    """Edit a household's own fields and tags; its grid changes only by a re-drawing."""
    unknown = set(fields) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise ValueError(f"household_update cannot change {sorted(unknown)}")
    household = Household.objects.select_for_update().select_related("grid").get(pk=household.pk)
    _require_manage(actor, household.grid)
    values = clean_household_values(fields)
    merged = {name: values.get(name, getattr(household, name)) for name in HOUSEHOLD_FIELDS}
    if household.is_active:
        check_duplicates(merged, household.grid, exclude_pk=household.pk)
    for name, value in values.items():
        setattr(household, name, value)
    household.full_clean()
    household.save()
    if tags is not None:
        household.tags.set(_check_tags(tags, household.grid))
    return household


@transaction.atomic
def household_deactivate(*, household: Household, actor) -> Household:
    """Take a household off the register (moved away, house empty); its history stays."""
    _require_manage(actor, household.grid)
    Household.objects.filter(pk=household.pk).update(is_active=False)
    household.refresh_from_db()
    return household


@transaction.atomic
def households_import(*, rows: list[dict], actor) -> list[Household]:
    """Create many households at once (the register import, already checked row by row).

    Each row holds the household's fields plus `grid` (a Unit) and `tags` (CareTags). The
    rights are checked again here: the import page is not the only possible caller.
    """
    for grid in {row["grid"] for row in rows}:
        _require_manage(actor, grid)
    households = Household.objects.bulk_create(
        Household(**{k: v for k, v in row.items() if k != "tags"}) for row in rows
    )
    links = [
        Household.tags.through(household_id=household.pk, caretag_id=tag.pk)
        for household, row in zip(households, rows, strict=True)
        for tag in row["tags"]
    ]
    Household.tags.through.objects.bulk_create(links)
    return households


# Re-drawing ---------------------------------------------------------------------------------


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


def household_reveal(*, household: Household, actor) -> None:
    """Record that `actor` is shown the head's name, phone and ID number in full."""
    if not access.can(actor, "view_personal_data", household.grid):
        raise PermissionDenied(_("Your role may not see full personal data."))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.REVEAL,
        target=f"{Household._meta.label_lower}:{household.pk}",
        unit=household.grid,
        row_count=1,
        detail={"fields": ["head_name", "head_phone", "head_id_number"]},
    )
