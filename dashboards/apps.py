from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        from dashboards import home
        from governance.models import Role
        from governance.registry import HomePanel, NavItem, registry

        registry.register(
            # First in the statistics group, for leaders.
            nav=[
                NavItem(
                    _("Dashboard"),
                    "dashboards:dashboard",
                    ("view_figures",),
                    order=5,
                    group="figures",
                    roles=(
                        Role.DISTRICT_ADMIN,
                        Role.LEADER,
                        Role.TOWNSHIP_STAFF,
                        Role.COMMUNITY_SECRETARY,
                    ),
                )
            ],
            home_panels=[HomePanel("dashboards/home/_panel.html", home.panel, 2)],
        )
