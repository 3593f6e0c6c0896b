"""The household register: list, add, edit, deactivate, a household's page with its visits,
Excel import and export.

Scope: every page starts from Household.objects.for_user / Unit.objects.for_user, so a row or
grid outside the user's scope is a 404. Writing needs manage_households at the grid; a user in
scope without it gets 403. The import is governance.importing's (upload → preview → confirm).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance import access, excel
from governance.htmx import render_page
from governance.importing import import_page
from governance.models import Unit
from governance.normalize import clean_text
from governance.pages import form_error, paginate
from governance.params import id_param
from grids import coverage, resources
from grids.forms.households import HouseholdForm
from grids.models import Household
from grids.services import households as services
from grids.services.visits import may_file

# The grid filter lists at most this many grids; above it (a township or the district), the
# list is reached from a grid's own link.
GRID_CHOICES = 300


def grids_in_scope(user):
    return Unit.objects.for_user(user).filter(kind=Unit.Kind.GRID)


def _filtered_households(request):
    """The households of the list's filters (grid, unit, visited, q, tag), with the filters'
    values.

    A grid or unit outside the user's scope is a 404, not an empty list. `unit` keeps the
    households of a territorial unit's subtree; `visited=1` those visited in the current round
    of the unit's (or grid's) district (the dashboards' drill-downs of the coverage figures).
    """
    user = request.user
    households = Household.objects.for_user(user).active()
    grid = None
    if grid_pk := id_param(request, "grid"):
        grid = get_object_or_404(grids_in_scope(user), pk=grid_pk)
        households = households.filter(grid=grid)
    unit = None
    if unit_pk := id_param(request, "unit"):
        unit = get_object_or_404(Unit.objects.for_user(user).territory(), pk=unit_pk)
        households = households.filter(grid__path__startswith=unit.path)
    visited = request.GET.get("visited") == "1" and (unit or grid) is not None
    if visited:
        rnd = coverage.current_round(unit or grid)
        households = households.filter(coverage.visited_q(rnd))
    query = clean_text(request.GET.get("q"))[:50]
    if query:
        households = households.filter(
            Q(building__contains=query)
            | Q(room__contains=query)
            | Q(address__contains=query)
            | Q(head_name__contains=query)
        )
    tag = None
    if tag_pk := id_param(request, "tag"):
        tag = services.care_tags_for(user).filter(pk=tag_pk).first()
        if tag is not None:
            households = households.filter(tags=tag)
    filters = {"grid": grid, "q": query, "tag": tag, "unit": unit, "visited": visited}
    return households, filters


@login_required
@require_GET
def household_list(request):
    households, filters = _filtered_households(request)
    page = paginate(
        request,
        households.select_related("grid", "grid__parent")
        .prefetch_related("tags")
        .order_by(*coverage.WALK_ORDER),
    )
    user = request.user
    template = "grids/household_list.html" + ("#rows" if request.htmx else "")
    context = {"page": page, **filters}
    if not request.htmx:
        context.update(
            grids=grids_in_scope(user)
            .filter(is_active=True)
            .select_related("parent")
            .order_by("path")[:GRID_CHOICES],
            tags=services.care_tags_for(user),
            can_add=access.can(user, "manage_households"),
            can_export=access.can(user, "export"),
        )
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def household_create(request):
    if not access.can(request.user, "manage_households"):
        raise PermissionDenied
    initial = {}
    if grid_pk := id_param(request, "grid"):
        initial["grid"] = grid_pk
    form = HouseholdForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            household = services.household_create(
                grid=data.pop("grid"), actor=request.user, tags=data.pop("tags"), **data
            )
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Household %(place)s added.") % {"place": household.place})
            return redirect(_list_url(household))
    return render(request, "grids/household_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def household_edit(request, pk: int):
    household = get_object_or_404(
        Household.objects.for_user(request.user).select_related("grid"), pk=pk
    )
    if not access.can(request.user, "manage_households", household.grid):
        raise PermissionDenied
    show = access.can(request.user, "view_personal_data", household.grid)
    form = HouseholdForm(
        request.POST or None, instance=household, user=request.user, show_personal_data=show
    )
    if request.method == "POST" and "reveal" in request.POST:
        services.household_reveal(household=household, actor=request.user)
        form = HouseholdForm(instance=household, user=request.user)
        form.reveal()
    elif request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.household_update(
                household=household, actor=request.user, tags=data.pop("tags"), **data
            )
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(_list_url(household))
    return render(
        request,
        "grids/household_form.html",
        {"form": form, "household": household, "can_reveal": show and bool(form.masked)},
    )


@login_required
@require_POST
def household_deactivate(request, pk: int):
    household = get_object_or_404(
        Household.objects.for_user(request.user).select_related("grid"), pk=pk
    )
    services.household_deactivate(household=household, actor=request.user)
    messages.success(
        request,
        _("Household %(place)s taken off the register; its visits are kept.")
        % {"place": household.place},
    )
    return redirect(_list_url(household))


def _list_url(household: Household) -> str:
    return f"{reverse('grids:household-list')}?grid={household.grid_id}"


# Excel --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def household_import(request):
    """Upload → preview (every row checked, nothing written) → confirm (all rows, or none)."""
    if not access.can(request.user, "manage_households"):
        raise PermissionDenied
    return import_page(
        request,
        resources.HouseholdImporter(request.user),
        title=_("Import the household register"),
        back_url=reverse("grids:household-list"),
    )


@login_required
@require_GET
def household_export(request):
    """The household list as filtered, as .xlsx; masked where personal data may not be seen."""
    households, filters = _filtered_households(request)
    if not access.can(request.user, "export"):
        raise PermissionDenied
    detail = {
        "filters": {
            k: v for k, v in request.GET.items() if k in ("grid", "q", "tag", "unit", "visited")
        },
    }
    output = resources.export_households(
        request.user,
        households.order_by(*coverage.WALK_ORDER),
        detail=detail,
    )
    grid = filters["grid"]
    return excel.response(output, excel.file_name(_("Households"), grid.name if grid else ""))


# A household ---------------------------------------------------------------------------------


def _household_context(request, pk, *, revealed: bool = False) -> dict:
    household = get_object_or_404(
        Household.objects.for_user(request.user)
        .select_related("grid", "grid__parent")
        .prefetch_related("tags"),
        pk=pk,
    )
    # The history follows the household across re-drawings; visits filed in a grid now
    # outside the user's scope are listed but not linked.
    visits = list(
        household.visits.select_related("grid", "worker", "worker__person").order_by(
            "-visited_at", "-pk"
        )[:30]
    )
    paths = tuple(access.scope_paths(request.user))
    for visit in visits:
        visit.linkable = request.user.is_superuser or visit.grid.path.startswith(paths)
    return {
        "household": household,
        "visits": visits,
        "revealed": revealed,
        "can_reveal": access.can(request.user, "view_personal_data", household.grid),
        "can_file": household.is_active and may_file(request.user, household),
    }


@login_required
def household_detail(request, pk):
    return render(request, "grids/visit_household.html", _household_context(request, pk))


@login_required
@require_POST
def household_reveal(request, pk):
    """The head's name, phone and ID number in full, for roles that need them; recorded."""
    context = _household_context(request, pk, revealed=True)
    household = context["household"]
    services.household_reveal(household=household, actor=request.user)
    return render_page(request, "grids/visit_household.html", context, "resident")
