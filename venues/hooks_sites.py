"""What the sites part plugs into governance.registry (read by apps.ready)."""

from django.utils.translation import gettext_lazy as _

from governance.models import Role
from governance.registry import NavItem
from venues.demo_sites import seed_sites
from venues.reminders_sites import KINDS

NAV_ITEMS: list = [
    NavItem(
        _("Venues"),
        "venues:venue-list",
        ("manage_ledgers", "view_figures"),
        order=50,
        group="services",
        roles=(Role.DISTRICT_ADMIN, Role.LEADER, Role.TOWNSHIP_STAFF, Role.COMMUNITY_SECRETARY),
    ),
    NavItem(
        _("Assisted and proxy requests"),
        "venues:request-list",
        ("create_items", "handle_items"),
        order=52,
        group="work",
        roles=(Role.TOWNSHIP_STAFF, Role.COMMUNITY_SECRETARY, Role.VILLAGE_CADRE, Role.GRID_WORKER),
    ),
]
HOME_PANELS: list = []
REMINDER_KINDS: list = KINDS
DEMO_SEEDERS: list = [seed_sites]
