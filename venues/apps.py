from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VenuesConfig(AppConfig):
    name = "venues"
    verbose_name = _("Venues and activities")

    def ready(self):
        from governance.models import Role
        from governance.registry import NavItem, registry
        from venues import reminders
        from venues.demo import activities, sites

        venue_staff = (
            Role.DISTRICT_ADMIN,
            Role.TOWNSHIP_STAFF,
            Role.COMMUNITY_SECRETARY,
            Role.VILLAGE_CADRE,
        )
        registry.register(
            nav=[
                NavItem(
                    _("Venues"),
                    "venues:venue-list",
                    ("manage_ledgers", "view_figures"),
                    order=50,
                    group="services",
                    roles=(
                        Role.DISTRICT_ADMIN,
                        Role.LEADER,
                        Role.TOWNSHIP_STAFF,
                        Role.COMMUNITY_SECRETARY,
                    ),
                ),
                NavItem(
                    _("Assisted and proxy requests"),
                    "venues:request-list",
                    ("create_items", "handle_items"),
                    order=52,
                    group="work",
                    roles=(
                        Role.TOWNSHIP_STAFF,
                        Role.COMMUNITY_SECRETARY,
                        Role.VILLAGE_CADRE,
                        Role.GRID_WORKER,
                    ),
                ),
                NavItem(
                    _("Activities"),
                    "venues:activity-list",
                    ("handle_items", "view_figures"),
                    order=61,
                    group="services",
                    roles=venue_staff,
                ),
                NavItem(
                    _("Weekly preview"),
                    "venues:week-list",
                    ("handle_items",),
                    order=62,
                    group="services",
                    roles=venue_staff,
                ),
                NavItem(
                    _("Activity categories"),
                    "venues:activity-category-list",
                    order=93,
                    group="settings",
                    roles=(Role.DISTRICT_ADMIN,),
                ),
            ],
            reminder_kinds=reminders.KINDS,
            demo_seeders=[sites.seed_sites, activities.seed_activities],
        )
