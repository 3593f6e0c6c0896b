"""The communities and villages (社区、村) a user works on: the units reception days, dual
reporting and red property are recorded for."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from governance import access
from governance.models import Unit

COMMUNITY_KINDS = (Unit.Kind.COMMUNITY, Unit.Kind.VILLAGE)


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
