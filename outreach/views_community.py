"""Helpers shared by the community part's pages (reception day, dual reporting, property)."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from governance import access
from governance.models import Unit
from governance.params import id_param

COMMUNITY_KINDS = (Unit.Kind.COMMUNITY, Unit.Kind.VILLAGE)
PAGE_SIZE = 30


def communities_where(user, capability: str):
    """Communities and villages where the user holds `capability` (for choices)."""
    qs = Unit.objects.filter(kind__in=COMMUNITY_KINDS, is_active=True)
    if user.is_superuser:
        return qs
    paths = [u.path for u in access.units_where(user, capability)]
    if not paths:
        return qs.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return qs.filter(condition)


def scoped_community(user, pk) -> Unit:
    """A community or village in the user's scope, else 404."""
    return get_object_or_404(Unit.objects.for_user(user).filter(kind__in=COMMUNITY_KINDS), pk=pk)


def require(user, capability: str, unit: Unit | None = None) -> None:
    if not access.can(user, capability, unit):
        raise PermissionDenied(_("Your role does not allow this."))


def default_unit(user) -> Unit | None:
    held = [m.unit for m in access.memberships(user) if m.unit.is_territory]
    if held:
        return min(held, key=lambda u: (u.depth, u.path))
    if user.is_superuser:
        return Unit.objects.filter(depth=1).territory().first()
    return None


def requested_unit(request) -> Unit | None:
    """?unit= (a territorial unit in scope, else 404) or the user's highest unit."""
    if unit_pk := id_param(request, "unit"):
        return get_object_or_404(Unit.objects.for_user(request.user).territory(), pk=unit_pk)
    return default_unit(request.user)


def requested_district(request) -> Unit | None:
    unit = requested_unit(request)
    if unit is None:
        return None
    if unit.depth == 1:
        return unit
    return Unit.objects.get(path=unit.path[: unit.steplen])


def page_of(request, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))
