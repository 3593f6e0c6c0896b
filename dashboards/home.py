"""The dashboard's home-page panel: this month's key figures of the user's own unit, read from
its snapshot (one query; nothing is computed on the home page), with the way to the dashboard."""

from django.utils import timezone

from dashboards import periods, present, snapshots
from governance import access

#: The cards shown on the home page: (section, figure).
KEY_FIGURES = (
    ("ledger", "collected"),
    ("ledger", "overdue"),
    ("ledger", "resolution_rate"),
    ("grids", "coverage"),
    ("duties", "behind"),
)


def panel(request):
    unit = access.primary_unit(request.user)
    if unit is None or not access.can(request.user, "view_figures", unit):
        return None
    period = periods.period("month", timezone.localdate())
    data = snapshots.stored(unit, period) if snapshots.kept(unit, period) else None
    cards = []
    if data:
        by_key = {s["key"]: s for s in present.sections(data)}
        for section, figure in KEY_FIGURES:
            card = next(
                (c for c in by_key.get(section, {}).get("cards", []) if c["key"] == figure), None
            )
            if card:
                cards.append({**card, "section": by_key[section]["title"]})
    return {
        "unit": unit,
        "cards": cards,
        "attention": present.attention(data)[:4] if data else [],
        "computed_at": present.computed_at(data) if data else None,
    }
