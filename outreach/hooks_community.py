"""What the community part plugs into governance.registry (read by apps.ready)."""

from django.utils.translation import gettext_lazy as _

from governance.registry import NavItem
from outreach.demo_community import seed_community
from outreach.reminders_community import KINDS

NAV_ITEMS = [
    NavItem(
        _("Reception days"),
        "outreach:reception-session-list",
        ("view_figures", "manage_ledgers"),
        order=51,
    ),
    NavItem(_("Dual reporting"), "outreach:dual-unit-list", ("manage_people", "view_figures"), 52),
    NavItem(_("Red property"), "outreach:property-company-list", ("view_figures",), order=53),
]
HOME_PANELS: list = []
REMINDER_KINDS = KINDS
DEMO_SEEDERS = [seed_community]
