"""Navigation entry of the teams app (registered in TeamsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from governance.models import Role
from governance.registry import NavItem

NAV_ITEMS = [
    NavItem(
        _("People and teams"),
        "teams:index",
        ("manage_people", "view_figures"),
        order=60,
        group="organisation",
        roles=(Role.DISTRICT_ADMIN, Role.LEADER, Role.TOWNSHIP_STAFF, Role.COMMUNITY_SECRETARY),
    ),
]
