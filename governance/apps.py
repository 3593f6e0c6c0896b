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

        # The ledger (a package of governance: governance/ledger/__init__.py).
        from governance.ledger import demo as ledger_demo
        from governance.ledger import home as ledger_home
        from governance.ledger import reminders as ledger_reminders

        registry.register(
            nav=[
                NavItem(
                    _("Ledgers"),
                    "ledger:item-list",
                    ("handle_items", "create_items", "view_figures"),
                    30,
                    group="work",
                    roles=(
                        Role.DISTRICT_ADMIN,
                        Role.TOWNSHIP_STAFF,
                        Role.COMMUNITY_SECRETARY,
                        Role.VILLAGE_CADRE,
                        Role.GRID_WORKER,
                        Role.DEPARTMENT_HANDLER,
                    ),
                ),
                NavItem(
                    _("Figures"),
                    "ledger:figures",
                    ("view_figures",),
                    40,
                    group="figures",
                    roles=(
                        Role.DISTRICT_ADMIN,
                        Role.LEADER,
                        Role.TOWNSHIP_STAFF,
                        Role.COMMUNITY_SECRETARY,
                        Role.DEPARTMENT_HANDLER,
                    ),
                ),
            ],
            home_panels=[
                HomePanel("ledger/home/_department_queue.html", ledger_home.department_queue, 5),
                HomePanel("ledger/home/_work_queue.html", ledger_home.work_queue, 6),
            ],
            reminder_kinds=ledger_reminders.KINDS,
            demo_seeders=[ledger_demo.seed_ledgers],
        )
