"""What the duties part plugs into governance.registry (read by apps.ready)."""

from django.utils.translation import gettext_lazy as _

from governance.models import Role
from governance.registry import HomePanel, NavItem
from outreach.demo_duties import seed_duties
from outreach.reminders_duties import KINDS
from outreach.views_duties import holder_panel

NAV_ITEMS: list = [
    NavItem(
        _("Liaison duties"),
        "outreach:duty-matrix",
        ("view_figures", "manage_people"),
        order=50,
        group="organisation",
        roles=(Role.DISTRICT_ADMIN, Role.LEADER, Role.TOWNSHIP_STAFF, Role.COMMUNITY_SECRETARY),
    ),
    NavItem(
        _("Contact activities"),
        "outreach:activity-list",
        ("create_items", "view_figures"),
        order=51,
        group="work",
        roles=(
            Role.DISTRICT_ADMIN,
            Role.LEADER,
            Role.TOWNSHIP_STAFF,
            Role.COMMUNITY_SECRETARY,
            Role.VILLAGE_CADRE,
        ),
    ),
]
# Duty holders: their duties this period and the way to file a contact activity.
HOME_PANELS: list = [HomePanel("outreach/duties/home/_holder.html", holder_panel, order=4)]
REMINDER_KINDS: list = list(KINDS)
DEMO_SEEDERS: list = [seed_duties]
