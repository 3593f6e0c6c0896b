"""The checks every teams service makes: may the actor do it here (`allow`), is the unit of
the right level, is the person of the same district, is a status change allowed."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from governance import access
from governance.models import Unit


def allow(actor, unit: Unit, *, strictly_above: bool = False) -> None:
    """Refuse (PermissionDenied) an actor who may not manage people at `unit`: a role without
    manage_people, a unit outside the actor's scope, or (strictly_above) the actor's own unit."""
    if access.can(actor, "manage_people", unit, strictly_above=strictly_above):
        return
    if not access.can(actor, "manage_people"):
        raise PermissionDenied(_("Your role may not manage people and teams."))
    if strictly_above and access.can(actor, "manage_people", unit):
        raise PermissionDenied(_("This is done by the level above %(unit)s.") % {"unit": unit.name})
    raise PermissionDenied(_("%(unit)s is outside your scope.") % {"unit": unit.name})


def require_level(unit: Unit, levels: tuple[int, ...], field: str) -> None:
    if not unit.is_territory or unit.level not in levels:
        messages = {
            (1, 2, 3): _("Choose a district, a township or a village / community."),
            (2,): _("Choose a township or street."),
            (3,): _("Choose a village or community."),
        }
        raise ValidationError({field: messages.get(levels, _("This unit cannot be used here."))})


def same_district(a: Unit, b: Unit, field: str) -> None:
    if a.path[: Unit.steplen] != b.path[: Unit.steplen]:
        raise ValidationError({field: _("The person is registered in another district.")})


def transition(model, obj, to: str, allowed: dict, extra: dict) -> None:
    current = obj.status
    if to not in allowed.get(current, ()):
        raise ValidationError(
            _("“%(from)s” cannot change to “%(to)s”.")
            % {"from": obj.get_status_display(), "to": model.Status(to).label}
        )
    updated = model.objects.filter(pk=obj.pk, status=current).update(status=to, **extra)
    if not updated:
        raise ValidationError(_("Someone else changed this record meanwhile; reload the page."))
    obj.refresh_from_db()
