from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = _("People and teams")

    def ready(self):
        from governance.models import Role
        from governance.registry import NavItem, registry
        from teams import demo, reminders

        registry.register(
            nav=[
                NavItem(
                    _("People and teams"),
                    "teams:index",
                    ("manage_people", "view_figures"),
                    order=60,
                    group="organisation",
                    roles=(
                        Role.DISTRICT_ADMIN,
                        Role.LEADER,
                        Role.TOWNSHIP_STAFF,
                        Role.COMMUNITY_SECRETARY,
                    ),
                ),
            ],
            reminder_kinds=reminders.KINDS,
            demo_seeders=[demo.seed_teams],
        )
