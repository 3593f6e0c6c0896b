"""Navigation entry of the dashboards (registered in DashboardsConfig.ready): first for leaders."""

from django.utils.translation import gettext_lazy as _

from governance.models import Role
from governance.registry import NavItem

NAV_ITEMS = [
    NavItem(
        _("Dashboard"),
        "dashboards:dashboard",
        ("view_figures",),
        order=5,
        group="figures",
        roles=(Role.DISTRICT_ADMIN, Role.LEADER, Role.TOWNSHIP_STAFF, Role.COMMUNITY_SECRETARY),
    )
]
