from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EconomyConfig(AppConfig):
    name = "economy"
    verbose_name = _("Collective economy")

    def ready(self):
        from economy import demo, reminders
        from governance.models import Role
        from governance.registry import NavItem, registry

        registry.register(
            nav=[
                NavItem(
                    _("Collective economy"),
                    "economy:figures",
                    ("view_figures", "manage_ledgers"),
                    order=70,
                    group="figures",
                    roles=(
                        Role.DISTRICT_ADMIN,
                        Role.LEADER,
                        Role.TOWNSHIP_STAFF,
                        Role.COMMUNITY_SECRETARY,
                        Role.VILLAGE_CADRE,
                    ),
                ),
            ],
            reminder_kinds=reminders.KINDS,
            demo_seeders=[demo.seed_economy],
        )
