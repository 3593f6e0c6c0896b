"""What the activities part plugs into governance.registry (read by apps.ready)."""

from django.utils.translation import gettext_lazy as _

from governance.models import Role
from governance.registry import NavItem
from venues import demo_activities, reminders_activities

NAV_ITEMS = [
    NavItem(
        _("Activities"),
        "venues:activity-list",
        ("handle_items", "view_figures"),
        order=61,
        group="services",
        roles=(
            Role.DISTRICT_ADMIN,
            Role.TOWNSHIP_STAFF,
            Role.COMMUNITY_SECRETARY,
            Role.VILLAGE_CADRE,
        ),
    ),
    NavItem(
        _("Weekly preview"),
        "venues:week-list",
        ("handle_items",),
        order=62,
        group="services",
        roles=(
            Role.DISTRICT_ADMIN,
            Role.TOWNSHIP_STAFF,
            Role.COMMUNITY_SECRETARY,
            Role.VILLAGE_CADRE,
        ),
    ),
    NavItem(
        _("Activity categories"),
        "venues:activity-category-list",
        order=93,
        group="settings",
        roles=(Role.DISTRICT_ADMIN,),
    ),
]
HOME_PANELS: list = []
REMINDER_KINDS = reminders_activities.KINDS
DEMO_SEEDERS = [demo_activities.seed_activities]
