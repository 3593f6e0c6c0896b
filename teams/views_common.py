"""Helpers shared by the teams pages: access checks, the unit a page is about, generic tables."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.utils import timezone

from governance import access
from governance.htmx import render_page
from governance.models import Unit
from governance.params import id_param, year_param

PAGE_SIZE = 50
READ_CAPS = ("manage_people", "view_figures")


def need(user, capability: str, unit: Unit | None = None, **kwargs) -> None:
    if not access.can(user, capability, unit, **kwargs):
        raise PermissionDenied


def need_reader(user) -> None:
    if not any(access.can(user, cap) for cap in READ_CAPS):
        raise PermissionDenied


def page_unit(request) -> Unit | None:
    """The unit a figures or list page is about: ?unit= in scope (404 outside), else the user's."""
    if unit_pk := id_param(request, "unit"):
        return get_object_or_404(Unit.objects.for_user(request.user).territory(), pk=unit_pk)
    unit = access.primary_unit(request.user)
    if unit is None and request.user.is_superuser:
        unit = Unit.objects.filter(depth=1, kind=Unit.Kind.DISTRICT).order_by("path").first()
    if unit is not None and not unit.is_territory:
        return None
    return unit


def filter_units(user, levels=(2, 3), limit: int = 400):
    kinds = [k for level in levels for k in Unit.KINDS_BY_LEVEL[level]]
    return Unit.objects.for_user(user).filter(kind__in=kinds).order_by("path")[:limit]


def year_arg(request, default: int | None = None) -> int:
    return year_param(request, "year", default or timezone.localdate().year)


def form_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


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


def paginate(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def today() -> datetime.date:
    return timezone.localdate()
