from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = _("People and teams")

    def ready(self):
        from governance.registry import registry
        from teams import demo, navigation, reminders

        for item in navigation.NAV_ITEMS:
            registry.add_nav(item)
        for kind in reminders.KINDS:
            registry.add_reminder_kind(kind)
        registry.add_demo_seeder(demo.seed_teams)
