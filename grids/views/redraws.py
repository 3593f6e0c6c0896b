"""Re-drawing the grids of a community (网格优化调整): the form and the community's history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from governance import access
from governance.models import Unit
from governance.pages import form_error, paginate
from governance.params import id_param
from grids.forms.redraws import RedrawForm
from grids.models import HouseholdMove, Redraw
from grids.services import redraws as services


def _community(request, pk: int) -> Unit:
    return get_object_or_404(
        Unit.objects.for_user(request.user).filter(kind__in=Unit.KINDS_BY_LEVEL[3]), pk=pk
    )


@login_required
@require_http_methods(["GET", "POST"])
def redraw_new(request, community_pk: int):
    """Choose the grid a re-drawing starts from, then what happens to it."""
    community = _community(request, community_pk)
    if not access.can(request.user, "manage_units", community):
        raise PermissionDenied
    grids = (
        services.community_grids(community)
        .filter(is_active=True)
        .annotate(household_count=Count("households", filter=Q(households__is_active=True)))
        .order_by("path")
    )
    grid = None
    data = request.POST if request.POST.get("grid") else None
    if grid_pk := id_param(request, "grid", data=data):
        grid = get_object_or_404(grids, pk=grid_pk)
    if grid is None:
        return render(request, "grids/redraw_new.html", {"community": community, "grids": grids})
    form = RedrawForm(request.POST or None, community=community, grid=grid)
    if request.method == "POST" and form.is_valid():
        try:
            redraw = _redraw(request.user, community, grid, form)
        except ValidationError as error:
            form_error(form, error)
        else:
            count = redraw.moves.count()
            messages.success(
                request,
                ngettext(
                    "Re-drawing recorded: %(count)s household changed grid.",
                    "Re-drawing recorded: %(count)s households changed grid.",
                    count,
                )
                % {"count": count},
            )
            return redirect("grids:redraw-list", community_pk=community.pk)
    return render(
        request,
        "grids/redraw_new.html",
        {"community": community, "grids": grids, "grid": grid, "form": form},
    )


def _redraw(user, community: Unit, grid: Unit, form: RedrawForm) -> Redraw:
    data = form.cleaned_data
    common = {
        "community": community,
        "reason": data["reason"],
        "effective_on": data["effective_on"],
        "actor": user,
    }
    if data["kind"] == Redraw.Kind.MERGE:
        return services.redraw_merge(into=data["to_grid"], merged=grid, **common)
    if data["kind"] == Redraw.Kind.SPLIT:
        return services.redraw_split(
            grid=grid,
            households=form.chosen_households(),
            new_grid_name=data["new_grid_name"],
            new_grid_code=data["new_grid_code"] or None,
            **common,
        )
    return services.redraw_move(
        households=form.chosen_households(), to_grid=data["to_grid"], **common
    )


@login_required
@require_GET
def redraw_list(request, community_pk: int):
    """The community's re-drawings, newest first, each with how many households went where."""
    community = _community(request, community_pk)
    page = paginate(
        request,
        Redraw.objects.filter(community=community).select_related("actor", "actor__person"),
    )
    flows: dict[int, list] = {}
    for row in (
        HouseholdMove.objects.filter(redraw__in=[r.pk for r in page])
        .values("redraw_id", "from_grid__name", "to_grid__name")
        .annotate(n=Count("pk"))
        .order_by("redraw_id", "from_grid__name")
    ):
        flows.setdefault(row["redraw_id"], []).append(row)
    return render(
        request,
        "grids/redraw_list.html",
        {
            "community": community,
            "page": page,
            "redraws": [(r, flows.get(r.pk, [])) for r in page],
            "can_redraw": access.can(request.user, "manage_units", community),
        },
    )
