"""Where the apps on the upper floors plug into the ground floor.

governance imports no other app. Apps register, in their AppConfig.ready(), the navigation
entries and home panels they add, the reminder kinds their sweeps produce and the demo data
they seed.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

#: The menu's groups, in the order they are shown (NavItem.group names one; "" stands alone).
NAV_GROUPS: dict[str, str] = {
    "work": _("Daily work"),
    "figures": _("Statistics"),
    "organisation": _("Organisation"),
    "services": _("Venues and services"),
    "settings": _("Settings"),
}


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    #: Shown when the user holds one of these capabilities (empty: every signed-in user).
    capabilities: tuple[str, ...] = ()
    order: int = 100
    group: str = ""
    #: When given, shown to these roles only (capabilities are then not asked): a menu says
    #: what a role's work needs, which capabilities alone are too broad to say.
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class HomePanel:
    """A block of the home page: `context(request)` returns None when it does not apply."""

    template: str
    context: Callable
    order: int = 100


@dataclass(frozen=True)
class Reminder:
    """One message to one person about one row, named by its model and primary key (no
    instance needed: sweeps read `values()` rows)."""

    recipient_id: int
    subject_type: type  # the model class of what the reminder is about
    subject_id: int
    title: str
    body: str = ""
    url: str = ""

    @classmethod
    def about(cls, recipient_id: int, subject, title: str, body: str = "", url: str = ""):
        """A reminder about a model instance already at hand."""
        return cls(recipient_id, type(subject), subject.pk, title, body, url)


@dataclass(frozen=True)
class ReminderKind:
    name: str
    label: str
    #: Finds, from the rows themselves, every reminder due on `today`.
    sweep: Callable[[date], Iterable[Reminder]]


@dataclass
class Registry:
    nav: list[NavItem] = field(default_factory=list)
    home_panels: list[HomePanel] = field(default_factory=list)
    reminder_kinds: dict[str, ReminderKind] = field(default_factory=dict)
    #: Called by seed_demo after the units and people, in registration order, as
    #: `seeder(stdout=..., scale="demo" | "district", rng=random.Random)`; each must skip the
    #: rows that already exist so that seeding twice changes nothing.
    demo_seeders: list[Callable[..., None]] = field(default_factory=list)

    def add_nav(self, item: NavItem) -> None:
        if item not in self.nav:
            self.nav.append(item)
            self.nav.sort(key=lambda i: i.order)

    def add_home_panel(self, panel: HomePanel) -> None:
        if panel not in self.home_panels:
            self.home_panels.append(panel)
            self.home_panels.sort(key=lambda p: p.order)

    def add_reminder_kind(self, kind: ReminderKind) -> None:
        existing = self.reminder_kinds.get(kind.name)
        if existing is not None and existing != kind:
            raise ValueError(f"Reminder kind {kind.name!r} is registered twice.")
        self.reminder_kinds[kind.name] = kind

    def add_demo_seeder(self, seeder: Callable[..., None]) -> None:
        if seeder not in self.demo_seeders:
            self.demo_seeders.append(seeder)

    def register(
        self,
        *,
        nav: Iterable[NavItem] = (),
        home_panels: Iterable[HomePanel] = (),
        reminder_kinds: Iterable[ReminderKind] = (),
        demo_seeders: Iterable[Callable[..., None]] = (),
    ) -> None:
        """Everything an app adds to the ground floor, in one call from its AppConfig.ready()."""
        for item in nav:
            self.add_nav(item)
        for panel in home_panels:
            self.add_home_panel(panel)
        for kind in reminder_kinds:
            self.add_reminder_kind(kind)
        for seeder in demo_seeders:
            self.add_demo_seeder(seeder)


registry = Registry()
