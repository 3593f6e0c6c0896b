from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance: units, people and roles")

    def ready(self):
        from governance import home
        from governance.models import Role
        from governance.registry import HomePanel, NavItem, registry
        from governance.reminders import MEMBERSHIP_ENDING

        # The district's catalogues, kept by its administrator in the app (governance.catalogues)
        # and, for what has no page of its own, in the (scoped) admin.
        settings_items = [
            NavItem(label, url_name, order=order, group="settings", roles=(Role.DISTRICT_ADMIN,))
            for label, url_name, order in (
                (_("Matter categories and time limits"), "ledger:category-list", 90),
                (_("Holiday calendar"), "admin:governance_calendaryear_changelist", 95),
                (_("Admin"), "admin:index", 99),
            )
        ]
        registry.register(
            nav=[
                NavItem(_("Home"), "governance:home", order=0),
                NavItem(
                    _("Units"),
                    "governance:unit-list",
                    ("manage_units", "view_figures"),
                    10,
                    group="organisation",
                    roles=(Role.DISTRICT_ADMIN, Role.LEADER, Role.TOWNSHIP_STAFF),
                ),
                NavItem(
                    _("People"),
                    "governance:person-list",
                    ("manage_people",),
                    20,
                    group="organisation",
                    roles=(
                        Role.DISTRICT_ADMIN,
                        Role.TOWNSHIP_STAFF,
                        Role.COMMUNITY_SECRETARY,
                        Role.VILLAGE_CADRE,
                    ),
                ),
                *settings_items,
            ],
            home_panels=[
                HomePanel("governance/home/_my_grids.html", home.my_grids, 10),
                HomePanel("governance/home/_leader.html", home.leader, 20),
                HomePanel("governance/home/_staff.html", home.staff, 30),
            ],
            reminder_kinds=[MEMBERSHIP_ENDING],
        )

        from governance.ledger import demo as ledger_demo
        from governance.ledger import navigation as ledger_navigation
        from governance.ledger import reminders as ledger_reminders

        for item in ledger_navigation.NAV_ITEMS:
            registry.add_nav(item)
        for panel in ledger_navigation.HOME_PANELS:
            registry.add_home_panel(panel)
        for kind in ledger_reminders.KINDS:
            registry.add_reminder_kind(kind)
        registry.add_demo_seeder(ledger_demo.seed_ledgers)
