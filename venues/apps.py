from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The app is written in parts, each with its own models, urls, admin and hooks modules:
# venues/hooks_<part>.py lists what the part plugs into governance.registry.
PARTS = ("sites", "activities")


class VenuesConfig(AppConfig):
    name = "venues"
    verbose_name = _("Venues and activities")

    def ready(self):
        from governance.registry import registry

        for part in PARTS:
            hooks = import_module(f"venues.hooks_{part}")
            for item in getattr(hooks, "NAV_ITEMS", ()):
                registry.add_nav(item)
            for panel in getattr(hooks, "HOME_PANELS", ()):
                registry.add_home_panel(panel)
            for kind in getattr(hooks, "REMINDER_KINDS", ()):
                registry.add_reminder_kind(kind)
            for seeder in getattr(hooks, "DEMO_SEEDERS", ()):
                registry.add_demo_seeder(seeder)
