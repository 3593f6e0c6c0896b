"""Navigation entry of the teams app (registered in TeamsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from governance.registry import NavItem

NAV_ITEMS = [
    NavItem(_("People and teams"), "teams:index", ("manage_people", "view_figures"), order=60),
]
