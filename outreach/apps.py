from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The app is written in parts, each with its own models, urls, admin and hooks modules:
# outreach/hooks_<part>.py lists what the part plugs into governance.registry.
PARTS = ("duties", "community")


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("Outreach and liaison")

    def ready(self):
        from governance.registry import registry

        for part in PARTS:
            hooks = import_module(f"outreach.hooks_{part}")
            for item in getattr(hooks, "NAV_ITEMS", ()):
                registry.add_nav(item)
            for panel in getattr(hooks, "HOME_PANELS", ()):
                registry.add_home_panel(panel)
            for kind in getattr(hooks, "REMINDER_KINDS", ()):
                registry.add_reminder_kind(kind)
            for seeder in getattr(hooks, "DEMO_SEEDERS", ()):
                registry.add_demo_seeder(seeder)
