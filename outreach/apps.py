from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("Outreach and liaison")

    def ready(self):
        from governance.models import Role
        from governance.registry import HomePanel, NavItem, registry
        from outreach import home
        from outreach.demo.community import seed_community
        from outreach.demo.duties import seed_duties
        from outreach.reminders import duties as duty_reminders
        from outreach.reminders import evaluations as evaluation_reminders
        from outreach.reminders import reception as reception_reminders

        territory_staff = (Role.DISTRICT_ADMIN, Role.TOWNSHIP_STAFF, Role.COMMUNITY_SECRETARY)
        registry.register(
            nav=[
                NavItem(
                    _("Liaison duties"),
                    "outreach:duty-matrix",
                    ("view_figures", "manage_people"),
                    order=50,
                    group="organisation",
                    roles=(
                        Role.DISTRICT_ADMIN,
                        Role.LEADER,
                        Role.TOWNSHIP_STAFF,
                        Role.COMMUNITY_SECRETARY,
                    ),
                ),
                NavItem(
                    _("Contact activities"),
                    "outreach:activity-list",
                    ("create_items", "view_figures"),
                    order=51,
                    group="work",
                    roles=(
                        Role.DISTRICT_ADMIN,
                        Role.LEADER,
                        Role.TOWNSHIP_STAFF,
                        Role.COMMUNITY_SECRETARY,
                        Role.VILLAGE_CADRE,
                    ),
                ),
                NavItem(
                    _("Reception days"),
                    "outreach:reception-session-list",
                    ("view_figures", "manage_ledgers"),
                    order=51,
                    group="services",
                    roles=territory_staff,
                ),
                NavItem(
                    _("Dual reporting"),
                    "outreach:dual-unit-list",
                    ("manage_people", "view_figures"),
                    order=52,
                    group="services",
                    roles=territory_staff,
                ),
                NavItem(
                    _("Red property"),
                    "outreach:property-company-list",
                    ("view_figures",),
                    order=53,
                    group="services",
                    roles=territory_staff,
                ),
            ],
            # Duty holders: their duties this period and the way to file a contact activity.
            home_panels=[
                HomePanel("outreach/duties/home/_holder.html", home.holder_panel, order=4)
            ],
            reminder_kinds=[
                *duty_reminders.KINDS,
                *reception_reminders.KINDS,
                *evaluation_reminders.KINDS,
            ],
            demo_seeders=[seed_duties, seed_community],
        )
