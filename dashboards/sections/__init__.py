"""The dashboard's sections, in the order the page shows them (see sections/base.py)."""

from importlib import import_module

#: Modules under dashboards.sections, each defining SECTION.
MODULES = ("ledger", "grids", "duties", "reception", "venues", "economy", "teams")


def all_sections():
    sections = [import_module(f"dashboards.sections.{name}").SECTION for name in MODULES]
    return sorted(sections, key=lambda s: s.order)
