"""Navigation entries of the economy app (registered in EconomyConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from governance.models import Role
from governance.registry import NavItem

NAV_ITEMS = [
    NavItem(
        _("Collective economy"),
        "economy:figures",
        ("view_figures", "manage_ledgers"),
        order=70,
        group="figures",
        roles=(
            Role.DISTRICT_ADMIN,
            Role.LEADER,
            Role.TOWNSHIP_STAFF,
            Role.COMMUNITY_SECRETARY,
            Role.VILLAGE_CADRE,
        ),
    ),
]
