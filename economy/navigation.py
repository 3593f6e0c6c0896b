"""Navigation entries of the economy app (registered in EconomyConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from governance.registry import NavItem

NAV_ITEMS = [
    NavItem(
        _("Collective economy"), "economy:figures", ("view_figures", "manage_ledgers"), order=70
    ),
]
