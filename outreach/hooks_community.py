"""What the community part plugs into governance.registry (read by apps.ready)."""

from django.utils.translation import gettext_lazy as _

from governance.models import Role
from governance.registry import NavItem
from outreach.demo_community import seed_community
from outreach.reminders_community import KINDS

NAV_ITEMS = [
    NavItem(
        _("Reception days"),
        "outreach:reception-session-list",
        ("view_figures", "manage_ledgers"),
        order=51,
        group="services",
        roles=(Role.DISTRICT_ADMIN, Role.TOWNSHIP_STAFF, Role.COMMUNITY_SECRETARY),
    ),
    NavItem(
        _("Dual reporting"),
        "outreach:dual-unit-list",
        ("manage_people", "view_figures"),
        52,
        group="services",
        roles=(Role.DISTRICT_ADMIN, Role.TOWNSHIP_STAFF, Role.COMMUNITY_SECRETARY),
    ),
    NavItem(
        _("Red property"),
        "outreach:property-company-list",
        ("view_figures",),
        order=53,
        group="services",
        roles=(Role.DISTRICT_ADMIN, Role.TOWNSHIP_STAFF, Role.COMMUNITY_SECRETARY),
    ),
]
HOME_PANELS: list = []
REMINDER_KINDS = KINDS
DEMO_SEEDERS = [seed_community]
