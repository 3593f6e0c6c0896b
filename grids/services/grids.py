"""A grid's profile (网格 kind, what it is dedicated to, its boundary, the public page's token)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance import access
from governance.models import Unit
from grids.models import GridProfile


def grid_profile_for(grid: Unit) -> GridProfile:
    """The grid's profile, created with its defaults the first time it is asked for."""
    if grid.kind != Unit.Kind.GRID:
        raise ValidationError(_("%(unit)s is not a grid.") % {"unit": grid.name})
    return GridProfile.objects.get_or_create(grid=grid)[0]


@transaction.atomic
def grid_profile_update(*, profile: GridProfile, actor=None, **fields) -> GridProfile:
    """Change a grid's kind, what it is dedicated to and its boundary."""
    if actor is not None and not access.can(actor, "manage_units", profile.grid):
        raise PermissionDenied(_("Your role may not edit this grid."))
    allowed = {"kind", "dedicated_to", "boundary"}
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(name)
        setattr(profile, name, value.strip() if isinstance(value, str) else value)
    if profile.kind != "dedicated":
        profile.dedicated_to = ""
    profile.full_clean(exclude=["grid"])
    profile.save()
    return profile
