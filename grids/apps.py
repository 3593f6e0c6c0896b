from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridsConfig(AppConfig):
    name = "grids"
    verbose_name = _("Grids and visits")

    def ready(self):
        from governance.registry import registry
        from grids import demo, navigation, reminders

        for item in navigation.NAV_ITEMS:
            registry.add_nav(item)
        for panel in navigation.HOME_PANELS:
            registry.add_home_panel(panel)
        for kind in reminders.KINDS:
            registry.add_reminder_kind(kind)
        registry.add_demo_seeder(demo.seed_grids)
