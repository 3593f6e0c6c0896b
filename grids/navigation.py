"""Navigation entries and home panels of the grids app (registered in GridsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from governance.registry import HomePanel, NavItem
from grids.views_visits import worker_panel

NAV_ITEMS = [
    NavItem(_("Visit logs"), "grids:visit-list", ("create_items",), order=41),
    NavItem(_("Visit coverage"), "grids:coverage", ("view_figures", "create_items"), order=42),
    NavItem(
        _("Households"),
        "grids:household-list",
        ("manage_households", "view_personal_data"),
        order=43,
    ),
    NavItem(_("Grid workers"), "grids:worker-list", ("manage_people", "view_figures"), order=45),
]
# The grid worker's phone home: each grid with this round's coverage and "file a visit".
HOME_PANELS = [HomePanel("grids/home/_worker.html", worker_panel, order=3)]
