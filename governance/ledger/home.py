"""The ledger's home panels (declared and registered in GovernanceConfig.ready).

The panels' figures are the lengths of the lists they link to: the work queue counts with the
item list's own `queue` filter rule and light definitions, the department panel with the
department queue's rule. Each panel costs a fixed number of queries (one aggregate with
filtered counts, plus one count of extension requests).
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance import access
from governance.ledger.filters import work_queue_q
from governance.ledger.views.items import decidable_extensions
from governance.models import LedgerItem, Role, Status, Unit


def _light_counts(items, now) -> dict[str, int]:
    # The conditions of LedgerItemQuerySet.overdue / yellow / green, on open items.
    return items.aggregate(
        open=Count("pk"),
        red=Count("pk", filter=Q(due_at__lt=now)),
        yellow=Count("pk", filter=Q(warn_at__lte=now, due_at__gte=now)),
        green=Count("pk", filter=Q(warn_at__gt=now) | Q(due_at__isnull=True)),
    )


def work_queue(request):
    """Staff who handle items of a village, community, township or district: their open items
    by light, and the extension requests awaiting their decision."""
    user = request.user
    units = [u for u in access.units_where(user, "handle_items") if u.kind != Unit.Kind.DEPARTMENT]
    if not units and not user.is_superuser:
        return None
    items = LedgerItem.objects.for_user(user).open().filter(work_queue_q(user))
    counts = _light_counts(items, timezone.now())
    base = reverse("ledger:item-list") + "?queue=true"
    return {
        "counts": counts,
        "links": {
            "open": base + "&open=true",
            "red": base + "&light=red",
            "yellow": base + "&light=yellow",
            "green": base + "&light=green",
        },
        "pending_extensions": decidable_extensions(user).count(),
        "can_create": access.can(user, "create_items"),
        "meetings": _meeting_links(units),
    }


def _meeting_links(units) -> list[tuple[str, str]]:
    """The standing meetings of the units the user works for: a community's weekly review, a
    township's monthly review of unresolved items."""
    links = []
    for unit in units:
        if unit.kind in Unit.KINDS_BY_LEVEL[3]:
            links.append(
                (
                    _("Weekly review · %(unit)s") % {"unit": unit.name},
                    reverse("ledger:weekly-review", args=[unit.pk]),
                )
            )
        elif unit.kind in Unit.KINDS_BY_LEVEL[2]:
            links.append(
                (
                    _("Monthly review · %(unit)s") % {"unit": unit.name},
                    reverse("ledger:monthly-review", args=[unit.pk]),
                )
            )
    return links


def department_queue(request):
    """Handlers of a functional department: what was handed to them and is still open."""
    departments = [
        m.unit for m in access.memberships(request.user) if m.role == Role.DEPARTMENT_HANDLER
    ]
    if not departments:
        return None
    items = (
        LedgerItem.objects.for_user(request.user).open().filter(responsible_unit__in=departments)
    )
    counts = items.aggregate(
        open=Count("pk"),
        waiting=Count("pk", filter=Q(status=Status.HANDED_OVER)),
        red=Count("pk", filter=Q(due_at__lt=timezone.now())),
    )
    return {"counts": counts, "departments": departments}
