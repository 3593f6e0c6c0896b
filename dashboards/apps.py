from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        from dashboards import home, navigation
        from governance.registry import HomePanel, registry

        for item in navigation.NAV_ITEMS:
            registry.add_nav(item)
        registry.add_home_panel(HomePanel("dashboards/home/_panel.html", home.panel, 2))
