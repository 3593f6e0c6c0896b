"""Writes to the household register. Keyword-only, validated, one transaction each.

Households are entered and edited by staff who manage people at the grid (manage_people); a
household is deactivated, never deleted, because its visit logs are the coverage record.
Re-drawing grids (households changing grid) is grids.services.redraws.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance import access
from governance.models import AuditEvent, Unit
from governance.normalize import clean_compact, clean_text, normalize_id_number, normalize_phone
from governance.services import audit_record
from grids.models import CareTag, Household

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


def care_tags_for(user):
    """The care tags of the districts the user works in.

    Not CareTag.objects.for_user: tags belong to the district, which lies above the scope of
    everyone below the district, yet a grid worker tags households with them.
    """
    if user.is_superuser:
        return CareTag.objects.all()
    # Tags belong to districts only, so matching every ancestor path of the user's units
    # finds the districts above them without a query.
    paths = {path for m in access.memberships(user) for path in m.unit.ancestor_paths()}
    return CareTag.objects.filter(district__path__in=paths) if paths else CareTag.objects.none()


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
    if any(not grid.is_within(tag.district) for tag in tags):
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
