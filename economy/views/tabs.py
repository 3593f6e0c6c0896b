"""The tab bar of the economy's list pages (templates/economy/_tabs.html): the unit and year the
page is about, the unit and year pickers, and whether the user keeps the unit's records.

The unit is governance.pages.requested_unit(territory=True): ?unit= in scope (else 404), by
default the user's highest territorial unit. The year is ?year=, this year by default; the
lists also take year=all.
"""

from django.utils import timezone

from economy import services
from governance.models import Unit
from governance.pages import requested_unit
from governance.params import year_param


def page_unit(request) -> Unit:
    return requested_unit(request, territory=True)


def page_year(request) -> int:
    return year_param(request, "year", timezone.localdate().year)


def page_year_or_all(request) -> int | None:
    """The year of a list that also shows every year (year=all: None)."""
    return None if request.GET.get("year", "") == "all" else page_year(request)


def unit_choices(request, unit: Unit) -> list[Unit]:
    """The unit, its ancestors in scope and its children: the filter's unit picker."""
    children = list(
        Unit.objects.filter(parent=unit).territory().exclude(kind=Unit.Kind.GRID).order_by("path")
    )
    above = [
        u
        for u in Unit.objects.for_user(request.user).filter(path__in=unit.ancestor_paths())
        if u.pk != unit.pk
    ]
    return [*above, unit, *children]


def years_around(year: int) -> list[int]:
    this = timezone.localdate().year
    return list(range(max(this, year) + 1, min(this, year) - 7, -1))


def tab_context(request, unit: Unit, year: int, tab: str) -> dict:
    return {
        "unit": unit,
        "year": year,
        "tab": tab,
        "units": unit_choices(request, unit),
        "years": years_around(year),
        "can_manage": services.may(request.user, unit),
    }
