from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        from dashboards import navigation
        from governance.registry import registry

        for item in navigation.NAV_ITEMS:
            registry.add_nav(item)
