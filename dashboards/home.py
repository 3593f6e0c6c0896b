"""The dashboard's home-page panel: this month's key figures of the user's own unit, with the
way to the dashboard.

Figures come the way the dashboard page gets them (dashboards.snapshots.dashboard): a district
or township reads its snapshot (one query); a village, community, grid or department, which have
no snapshots, is computed on the spot (a fixed number of queries, small subtrees); and a
district or township whose snapshot is not written yet (just after start) is computed once and
stored, so the card is never empty.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dashboards import present, snapshots
from governance import access, periods

#: The cards shown on the home page: (section, figure).
KEY_FIGURES = (
    ("ledger", "collected"),
    ("ledger", "overdue"),
    ("ledger", "resolution_rate"),
    ("grids", "coverage"),
    ("duties", "behind"),
)
#: The home page also shows the work queue's overdue count (every open item), so this card
#: says that it counts this month's items only.
HOME_LABELS = {("ledger", "overdue"): _("Overdue, of this month's items")}


def panel(request):
    unit = access.primary_unit(request.user)
    if unit is None or not access.can(request.user, "view_figures", unit):
        return None
    period = periods.period("month", timezone.localdate())
    data, _stored = snapshots.dashboard(unit, period)
    cards = []
    by_key = {s["key"]: s for s in present.sections(data)}
    for section, figure in KEY_FIGURES:
        card = next(
            (c for c in by_key.get(section, {}).get("cards", []) if c["key"] == figure), None
        )
        if card:
            label = HOME_LABELS.get((section, figure), card["label"])
            cards.append({**card, "label": label, "section": by_key[section]["title"]})
    return {
        "unit": unit,
        "cards": cards,
        "attention": present.attention(data)[:4],
        "computed_at": present.computed_at(data),
    }
