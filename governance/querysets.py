"""The one data-scope mechanism.

Every model whose rows belong to a unit uses a ScopedQuerySet and names, in `scope_fields`, the
foreign keys (paths like "unit" or "ledger__unit") that lead to a Unit. A row is visible to a
user when any of those units lies in the subtree of a unit where the user holds a current
membership. A department's subtree is the department itself, so a department handler sees
exactly the rows that name the department in one of the scope fields (e.g. "handed over to").
Superusers see everything, anonymous users nothing.

A user's current memberships are read here once per request and kept on the user object
(`memberships`, also offered by governance.access with what each role may do). This module
imports no other module of governance: the models import it, and it reaches them through the
app registry.
"""

from collections.abc import Iterable

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ScopedQuerySet(models.QuerySet):
    #: Paths to Unit foreign keys; "" means the row is itself a Unit.
    scope_fields: tuple[str, ...] = ("unit",)

    @classmethod
    def with_scope(cls, *fields: str) -> type["ScopedQuerySet"]:
        return type(
            f"{cls.__name__}_{'_'.join(fields) or 'self'}", (cls,), {"scope_fields": fields}
        )

    def for_user(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        paths = scope_paths(user)
        if not paths:
            return self.none()
        return self.filter(self.scope_q(paths))

    def within(self, unit):
        """Rows of one unit's subtree (for figures and filters; combine with for_user)."""
        return self.filter(self.scope_q([unit.path]))

    @classmethod
    def scope_q(cls, paths: list[str]) -> Q:
        """`field IN (SELECT id FROM unit WHERE path LIKE 'P%' …)` for each scope field.

        A subquery rather than a join: PostgreSQL then hashes the (few thousand) unit ids once
        and can walk a large table in index order, stopping after one page of rows, instead of
        joining and sorting every row in scope.
        """
        in_subtrees = Q()
        for path in paths:
            in_subtrees |= Q(path__startswith=path)
        condition = Q()
        for field in cls.scope_fields:
            if not field:
                condition |= in_subtrees
                continue
            units = apps.get_model("governance", "Unit").objects.filter(in_subtrees).values("pk")
            condition |= Q(**{f"{field}__in": units})
        return condition


def memberships(user) -> list:
    """Current memberships of the user with their units, cached on the user object."""
    if user is None or not user.is_authenticated:
        return []
    cached = getattr(user, "_shanzhi_memberships", None)
    if cached is None:
        cached = list(
            apps.get_model("governance", "Membership")
            .objects.current(timezone.localdate())
            .filter(user=user)
            .select_related("unit")
            .order_by("unit__path", "role")
        )
        user._shanzhi_memberships = cached
    return cached


def forget(user) -> None:
    user.__dict__.pop("_shanzhi_memberships", None)


def _collapse(paths: Iterable[str]) -> list[str]:
    """Drop paths already covered by a shorter one (a district covers its townships)."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return kept


def scope_paths(user) -> list[str]:
    return _collapse(m.unit.path for m in memberships(user))
