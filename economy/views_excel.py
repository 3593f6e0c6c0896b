"""Excel pages: one import page and one export per kind (incomes, measures, projects, pairings)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from economy.resources import IMPORTERS, MAX_ROWS
from economy.views import MANAGE, scope_unit, scope_year
from governance import access, excel
from governance.importing import ImportForm

TITLES = {
    "incomes": gettext_lazy("Village collective incomes"),
    "measures": gettext_lazy("Income measures"),
    "projects": gettext_lazy("Projects"),
    "pairings": gettext_lazy("Village–enterprise pairings"),
}
AFTER = {
    "incomes": "economy:village-list",
    "measures": "economy:measure-list",
    "projects": "economy:project-list",
    "pairings": "economy:pairing-list",
}


def _importer(kind: str, user):
    if kind not in IMPORTERS:
        raise Http404
    return IMPORTERS[kind](user)


def _context(kind, importer, form, **extra):
    return {
        "kind": kind,
        "title": TITLES[kind],
        "form": form,
        "columns": list(importer.columns),
        "required_columns": [c for c in importer.columns if c.split("（")[0] in importer.required],
        "max_rows": MAX_ROWS,
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def excel_import(request, kind: str):
    importer = _importer(kind, request.user)
    if not access.can(request.user, MANAGE):
        raise PermissionDenied
    if request.method == "GET":
        if request.GET.get("blank"):
            return excel.response(importer.blank(), f"{importer.label}（模板）.xlsx")
        return render(request, "economy/import.html", _context(kind, importer, ImportForm()))
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "economy/import.html", _context(kind, importer, form), status=400)
    upload = form.cleaned_data["file"]
    outcome = importer.run(upload.read(), upload.name)
    if not outcome.ok:
        return render(
            request,
            "economy/import.html",
            _context(
                kind, importer, ImportForm(), problems=outcome.problems, file_name=upload.name
            ),
            status=400,
        )
    messages.success(
        request,
        ngettext("%(count)s row was imported.", "%(count)s rows were imported.", outcome.written)
        % {"count": outcome.written},
    )
    return redirect(AFTER[kind])


@login_required
@require_GET
def excel_export(request, kind: str):
    importer = _importer(kind, request.user)
    if not access.can(request.user, "export"):
        raise PermissionDenied
    unit = scope_unit(request)
    year = None if request.GET.get("year") == "all" else scope_year(request)
    name = excel.file_name(f"{unit.name}{importer.label}{year or ''}")
    return excel.response(importer.workbook(unit, year), name)
