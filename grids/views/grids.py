"""Staff's pages of a grid: its detail (workers on duty, their history, this round's
coverage), its profile form, the A4 poster with the QR code of its public page."""

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from governance import access
from governance.models import Unit
from grids import coverage
from grids.forms.grids import GridProfileForm
from grids.models import GridAssignment, GridProfile
from grids.services.grids import grid_profile_for, grid_profile_update
from grids.services.workers import workers_on_duty
from grids.views.public import public_url


def _qr_svg(url: str, *, scale: int) -> str:
    # Without width and height the SVG gets a viewBox, so CSS can size it and the code fills
    # (and stays centred in) its box instead of sitting in its top-left corner.
    return segno.make(url, error="m").svg_inline(scale=scale, border=2, omitsize=True)


def grid_in_scope(user, grid_pk) -> Unit:
    return get_object_or_404(
        Unit.objects.for_user(user)
        .filter(kind=Unit.Kind.GRID)
        .select_related("parent", "parent__parent"),
        pk=grid_pk,
    )


@login_required
def grid_detail(request, grid_pk):
    grid = grid_in_scope(request.user, grid_pk)
    profile = grid_profile_for(grid)
    history = (
        GridAssignment.objects.filter(grid=grid)
        .select_related("worker", "worker__person")
        .order_by("ended_on", "-started_on", "pk")
    )
    rnd = coverage.current_round(grid)
    return render(
        request,
        "grids/worker_grid_detail.html",
        {
            "grid": grid,
            "profile": profile,
            "community": grid.parent,
            "workers": workers_on_duty(grid),
            "history": history,
            "round": rnd,
            "figures": coverage.unit_coverage(grid, rnd),
            "residents": coverage.unit_residents(grid),
            "can_edit": access.can(request.user, "manage_units", grid),
            "can_assign": access.can(request.user, "assign_grid_workers", grid),
        },
    )


@login_required
def grid_edit(request, grid_pk):
    grid = grid_in_scope(request.user, grid_pk)
    access.require(request.user, "manage_units", grid)
    profile = grid_profile_for(grid)
    form = GridProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            grid_profile_update(
                profile=GridProfile.objects.get(pk=profile.pk),
                actor=request.user,
                **{name: form.cleaned_data[name] for name in form.changed_data},
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Grid saved."))
            return redirect(reverse("grids:grid-detail", args=[grid.pk]))
    return render(request, "grids/worker_grid_form.html", {"form": form, "grid": grid})


@login_required
def grid_poster(request, grid_pk):
    """An A4 poster for the building entrance: the QR code of the public page."""
    grid = grid_in_scope(request.user, grid_pk)
    profile = grid_profile_for(grid)
    url = public_url(request, profile)
    return render(
        request,
        "grids/public_poster.html",
        {
            "grid": grid,
            "profile": profile,
            "community": grid.parent,
            "workers": workers_on_duty(grid),
            "qr": _qr_svg(url, scale=8),
            "public_url": url,
            # Printed from an intranet address, the code would lead residents' phones nowhere.
            "no_public_base_url": not settings.SHANZHI_PUBLIC_BASE_URL,
        },
    )


@login_required
def grid_public_page(request, grid_pk):
    """Staff's way to the grid's public page (the home panel links here by grid, so it needs
    no token)."""
    grid = grid_in_scope(request.user, grid_pk)
    return redirect(grid_profile_for(grid).get_public_url())
