"""The pieces every teams page is made of: the reader and writer checks, the territory a page
is about, the generic table page (teams/table.html) and form page (teams/form.html), and the
unit filter of a list."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import access
from governance.htmx import render_page
from governance.models import Unit
from governance.pages import requested_unit
from governance.params import id_param, year_param

READ_CAPS = ("manage_people", "view_figures")


def need(user, capability: str, unit: Unit | None = None, **kwargs) -> None:
    if not access.can(user, capability, unit, **kwargs):
        raise PermissionDenied


def need_reader(user) -> None:
    if not any(access.can(user, cap) for cap in READ_CAPS):
        raise PermissionDenied


def page_territory(request) -> Unit | None:
    """The territorial unit a figures or list page is about (governance.pages.requested_unit);
    None for a user who holds no territorial unit and asks for none (the page then refuses)."""
    try:
        return requested_unit(request, territory=True)
    except Http404:
        if id_param(request, "unit"):
            raise
        return None


def year_arg(request) -> int:
    return year_param(request, "year", timezone.localdate().year)


def filter_units(user, levels=(2, 3), limit: int = 400):
    kinds = [k for level in levels for k in Unit.KINDS_BY_LEVEL[level]]
    return Unit.objects.for_user(user).filter(kind__in=kinds).order_by("path")[:limit]


def unit_filter(request, unit, levels=(1, 2, 3)) -> dict:
    return {
        "name": "unit",
        "label": _("Unit"),
        "value": unit.pk if unit else "",
        "choices": [(u.pk, u.name) for u in filter_units(request.user, levels)],
    }


def within(request, queryset):
    """Narrow to ?unit= (a unit in scope; 404 otherwise)."""
    if unit_pk := id_param(request, "unit"):
        unit = get_object_or_404(Unit.objects.for_user(request.user), pk=unit_pk)
        return queryset.within(unit), unit
    return queryset, None


@dataclass
class Cell:
    text: object = ""
    url: str = ""
    tag: str = ""  # a css class: the cell is shown as a tag
    num: bool = False


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    actions: list[tuple[str, str]] = field(default_factory=list)
    filters: list[dict] = field(default_factory=list)
    note: str = ""
    empty: str = ""
    testid: str = "rows"


def render_table(request, table: Table, page=None, count: int | None = None, **extra):
    context = {"table": table, "page": page, "count": count, **extra}
    return render_page(request, "teams/table.html", context, "rows")


def form_page(request, form, title, back_name: str, back_label, intro=""):
    return render(
        request,
        "teams/form.html",
        {
            "form": form,
            "title": title,
            "intro": intro,
            "back_url": reverse(back_name),
            "back_label": back_label,
        },
    )
