from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EconomyConfig(AppConfig):
    name = "economy"
    verbose_name = _("Collective economy")

    def ready(self):
        from economy import demo, navigation, reminders
        from governance.registry import registry

        for item in navigation.NAV_ITEMS:
            registry.add_nav(item)
        for kind in reminders.KINDS:
            registry.add_reminder_kind(kind)
        registry.add_demo_seeder(demo.seed_economy)
