"""Coverage of the visiting round: the figures page with its children table and .xlsx export,
and the grid worker's list of households not yet visited (the figures' drill-down)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from governance import access, excel
from governance.models import AuditEvent, Unit
from governance.pages import paginate, requested_unit
from governance.params import id_param, number_param
from governance.services import audit_record
from grids import coverage

PAGE_SIZE = 30
#: Care-overdue households shown above the unvisited list; the rest are one link away.
CARE_PREVIEW = 10


def _territory(user):
    return Unit.objects.for_user(user).territory()


def _unvisited_url(unit_pk: int) -> str:
    return reverse("grids:unvisited", args=[unit_pk])


def _coverage_url(unit_pk: int) -> str:
    return f"{reverse('grids:coverage')}?{urlencode({'unit': unit_pk})}"


def _ancestors(user, unit: Unit) -> list[Unit]:
    return list(_territory(user).filter(path__in=unit.ancestor_paths()[:-1]).order_by("depth"))


@login_required
@require_GET
def coverage_page(request):
    try:
        unit = requested_unit(request, territory=True)
    except Http404:
        if id_param(request, "unit"):
            raise
        # Someone without a role at any unit: the page says there is nothing to show.
        return render(request, "grids/coverage.html", {"unit": None})
    today = timezone.localdate()
    rnd = coverage.current_round(unit, today)
    data = coverage.unit_coverage(unit, rnd)
    # ?below=50: instead of the units below, the subtree's grids whose coverage is below 50%
    # (the dashboards' drill-down of grids with low coverage).
    below = _below(request)
    rows = (
        coverage.child_coverage(unit, rnd)
        if below is None
        else coverage.grids_below(unit, rnd, below)
    )
    for row in rows:
        row["url"] = _coverage_url(row["unit"].pk)
        row["unvisited_url"] = _unvisited_url(row["unit"].pk)
    return render(
        request,
        "grids/coverage.html",
        {
            "unit": unit,
            "round": rnd,
            "days_left": rnd.days_left(today),
            "data": data,
            "rows": rows,
            "laggards": sum(row["laggard"] for row in rows),
            "below": below,
            "outside_rows": (
                data["households"] - sum(row["households"] for row in rows) if below is None else 0
            ),
            "care_overdue": coverage.care_overdue(unit).count(),
            "unvisited_url": _unvisited_url(unit.pk),
            "ancestors": _ancestors(request.user, unit),
            "can_export": access.can(request.user, "export", unit),
            "export_url": f"{reverse('grids:coverage-export')}?{urlencode({'unit': unit.pk})}",
        },
    )


def _below(request) -> int | None:
    """?below=N (1–100): list the grids whose coverage is below N %; else None."""
    return number_param(request, "below", None, low=1, high=100)


def _percent(value) -> str:
    return "" if value is None else f"{100 * value:.1f}%"


@login_required
@require_GET
def coverage_export(request):
    """The children table as .xlsx, the unit's own total first; recorded in the audit log."""
    unit = requested_unit(request, territory=True)
    access.require(request.user, "export", unit)
    rnd = coverage.current_round(unit)
    data = coverage.unit_coverage(unit, rnd)
    rows = coverage.child_coverage(unit, rnd)

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Coverage")[:31]
    excel.append(
        sheet,
        [
            _("%(unit)s: visit coverage, round %(start)s to %(last)s")
            % {"unit": unit.name, "start": rnd.start, "last": rnd.last_day}
        ],
    )
    headers = [
        _("Unit"),
        _("Kind"),
        _("Households"),
        _("Visited"),
        _("Not yet visited"),
        _("Coverage"),
        _("Behind"),
    ]
    excel.append(sheet, headers)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2F4F7")
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    def line(name, kind, row, behind=""):
        return [
            name,
            kind,
            row["households"],
            row["visited"],
            row["unvisited"],
            _percent(row["rate"]),
            behind,
        ]

    excel.append(
        sheet, line(_("%(unit)s (total)") % {"unit": unit.name}, unit.get_kind_display(), data)
    )
    for row in rows:
        child = row["unit"]
        excel.append(
            sheet,
            line(child.name, child.get_kind_display(), row, _("yes") if row["laggard"] else ""),
        )
    sheet.column_dimensions["A"].width = 28
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        target=f"visit coverage {rnd.start}..{rnd.last_day}"[:200],
        unit=unit,
        row_count=len(rows) + 1,
    )
    name = _("visit coverage")
    return excel.response(
        excel.workbook_bytes(workbook),
        f"{unit.name}-{name}-{rnd.start:%Y-%m-%d}-{rnd.last_day:%Y-%m-%d}.xlsx",
    )


def visit_url(household_pk: int) -> str:
    """Where a tap on a household leads: the visit form, else its detail page, else nowhere
    (the pages other modules add may not be mounted)."""
    for name in ("grids:visit-form", "grids:household-detail"):
        try:
            return reverse(name, args=[household_pk])
        except NoReverseMatch:
            continue
    return ""


def _with_links(households) -> list:
    households = list(households)
    for household in households:
        household.visit_url = visit_url(household.pk)
    return households


@login_required
@require_GET
def unvisited_list(request, unit_pk):
    """Households of a unit not yet visited this round, in walking order; care visits overdue
    on top (all of them, paginated, with ?care=1)."""
    unit = get_object_or_404(_territory(request.user), pk=unit_pk)
    today = timezone.localdate()
    rnd = coverage.current_round(unit, today)
    care = (
        coverage.care_overdue(unit).select_related("grid", "grid__parent").prefetch_related("tags")
    )
    show_care = request.GET.get("care") == "1"
    if show_care:
        page = paginate(request, care, PAGE_SIZE)
        care_preview, care_count = [], page.paginator.count
    else:
        page = paginate(
            request, coverage.unvisited(unit, rnd).select_related("grid", "grid__parent"), PAGE_SIZE
        )
        care_count = care.count()
        care_preview = _with_links(care[:CARE_PREVIEW]) if page.number == 1 else []
    return render(
        request,
        "grids/coverage_unvisited.html",
        {
            "unit": unit,
            "round": rnd,
            "days_left": rnd.days_left(today),
            "page": page,
            "households": _with_links(page.object_list),
            "show_care": show_care,
            "care_preview": care_preview,
            "care_count": care_count,
            "show_grid": unit.kind != Unit.Kind.GRID,
            "coverage_url": _coverage_url(unit.pk),
        },
    )
