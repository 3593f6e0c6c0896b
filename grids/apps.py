from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridsConfig(AppConfig):
    name = "grids"
    verbose_name = _("Grids and visits")

    def ready(self):
        from governance.models import Role
        from governance.registry import HomePanel, NavItem, registry
        from grids import demo, home, reminders

        registry.register(
            nav=[
                NavItem(
                    _("Visit logs"),
                    "grids:visit-list",
                    ("create_items",),
                    order=41,
                    group="work",
                    roles=(
                        Role.TOWNSHIP_STAFF,
                        Role.COMMUNITY_SECRETARY,
                        Role.VILLAGE_CADRE,
                        Role.GRID_WORKER,
                    ),
                ),
                NavItem(
                    _("Visit coverage"),
                    "grids:coverage",
                    ("view_figures", "create_items"),
                    order=42,
                    group="figures",
                    roles=(
                        Role.DISTRICT_ADMIN,
                        Role.LEADER,
                        Role.TOWNSHIP_STAFF,
                        Role.COMMUNITY_SECRETARY,
                        Role.VILLAGE_CADRE,
                        Role.GRID_WORKER,
                    ),
                ),
                NavItem(
                    _("Households"),
                    "grids:household-list",
                    ("manage_households", "view_personal_data"),
                    order=43,
                    group="work",
                    roles=(
                        Role.TOWNSHIP_STAFF,
                        Role.COMMUNITY_SECRETARY,
                        Role.VILLAGE_CADRE,
                        Role.GRID_WORKER,
                    ),
                ),
                NavItem(
                    _("Grid workers"),
                    "grids:worker-list",
                    ("manage_people", "view_figures"),
                    order=45,
                    group="organisation",
                    roles=(
                        Role.DISTRICT_ADMIN,
                        Role.LEADER,
                        Role.TOWNSHIP_STAFF,
                        Role.COMMUNITY_SECRETARY,
                    ),
                ),
                NavItem(
                    _("Care tags"),
                    "grids:care-tag-list",
                    order=91,
                    group="settings",
                    roles=(Role.DISTRICT_ADMIN,),
                ),
                NavItem(
                    _("Visiting rounds"),
                    "grids:visiting-round-list",
                    order=92,
                    group="settings",
                    roles=(Role.DISTRICT_ADMIN,),
                ),
            ],
            # The grid worker's phone home: each grid with this round's coverage and "file a
            # visit".
            home_panels=[HomePanel("grids/home/_worker.html", home.worker_panel, order=3)],
            reminder_kinds=reminders.KINDS,
            demo_seeders=[demo.seed_grids],
        )
