"""亮身份: the public page of a grid, its QR code and poster; the grid worker registry for staff.

The public page is reached without signing in, by the grid's unguessable token. It shows the
grid, its workers on duty (name, photo, public contact number, full-time or part-time) and the
community's contact; it reads nothing about households or visits, so no resident's data can
reach it.
"""

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from governance import access
from governance.models import Person, Unit
from governance.uploads import file_response
from grids import coverage
from grids.forms_public import GridAssignmentForm, GridProfileForm
from grids.models import GridAssignment, GridProfile
from grids.services_workers import (
    grid_profile_for,
    grid_profile_update,
    grid_worker_assign,
    grid_worker_register,
    grid_worker_unassign,
    workers_on_duty,
    workers_with_grids,
)


def _public_profile(token: str) -> GridProfile:
    return get_object_or_404(
        GridProfile.objects.select_related("grid", "grid__parent", "grid__parent__parent"),
        public_token=token,
        grid__is_active=True,
    )


def _qr_svg(url: str, *, scale: int) -> str:
    # Without width and height the SVG gets a viewBox, so CSS can size it and the code fills
    # (and stays centred in) its box instead of sitting in its top-left corner.
    return segno.make(url, error="m").svg_inline(scale=scale, border=2, omitsize=True)


@require_GET
@cache_control(public=True, max_age=300)
def public_grid(request, token):
    profile = _public_profile(token)
    grid = profile.grid
    response = render(
        request,
        "grids/public_grid.html",
        {
            "profile": profile,
            "grid": grid,
            "community": grid.parent,
            "township": grid.parent.parent if grid.parent else None,
            "workers": workers_on_duty(grid),
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
@cache_control(public=True, max_age=3600)
def public_worker_photo(request, token, worker_pk):
    """The photo of a worker on duty in the grid, as the public page shows it; no other upload
    is reachable without signing in."""
    profile = _public_profile(token)
    worker = next((w for w in workers_on_duty(profile.grid) if w.pk == worker_pk), None)
    if worker is None:
        raise Http404
    return file_response(worker.photo)


@require_GET
@cache_control(public=True, max_age=86400)
def public_grid_qr(request, token):
    profile = _public_profile(token)
    url = public_url(request, profile)
    svg = segno.make(url, error="m")
    response = HttpResponse(content_type="image/svg+xml")
    svg.save(response, kind="svg", scale=10, border=2, title=profile.grid.name)
    return response


def _grid_in_scope(user, grid_pk) -> Unit:
    return get_object_or_404(
        Unit.objects.for_user(user)
        .filter(kind=Unit.Kind.GRID)
        .select_related("parent", "parent__parent"),
        pk=grid_pk,
    )


@login_required
def grid_poster(request, grid_pk):
    """An A4 poster for the building entrance: the QR code of the public page."""
    grid = _grid_in_scope(request.user, grid_pk)
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
    grid = _grid_in_scope(request.user, grid_pk)
    return redirect(grid_profile_for(grid).get_public_url())


@login_required
def worker_list(request):
    workers = workers_with_grids(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        workers = workers.filter(
            Q(person__name__icontains=query) | Q(assignments__grid__name__icontains=query)
        ).distinct()
    page = Paginator(workers, 50).get_page(request.GET.get("page"))
    # A list never shows full private numbers: the person's page reveals them, recorded.
    for worker in page:
        worker.phone_shown = worker.person.phone_masked
    return render(request, "grids/worker_list.html", {"page": page, "query": query})


@login_required
def grid_detail(request, grid_pk):
    grid = _grid_in_scope(request.user, grid_pk)
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
def grid_assign(request, grid_pk):
    """Post a grid worker to the grid (a new grid after a split has none until someone does)."""
    grid = _grid_in_scope(request.user, grid_pk)
    if not access.can(request.user, "assign_grid_workers", grid):
        raise PermissionDenied(_("Your role may not assign grid workers here."))
    # People of the grid's township (a worker may live in another community of it), as far
    # as the user's scope reaches.
    area = grid.parent.parent or grid.parent
    people = (
        Person.objects.for_user(request.user)
        .within(area)
        .select_related("unit")
        .order_by("unit__path", "name", "pk")
    )
    form = GridAssignmentForm(
        request.POST or None, people=people, initial={"started_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                worker = grid_worker_register(person=data["person"], kind=data["kind"])
                grid_worker_assign(
                    worker=worker, grid=grid, started_on=data["started_on"], actor=request.user
                )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("%(name)s now serves %(grid)s.")
                % {"name": data["person"].name, "grid": grid.name},
            )
            return redirect(reverse("grids:grid-detail", args=[grid.pk]))
    return render(request, "grids/worker_grid_assign.html", {"form": form, "grid": grid})


@login_required
@require_POST
def assignment_end(request, pk):
    assignment = get_object_or_404(
        GridAssignment.objects.for_user(request.user).select_related("grid", "worker__person"),
        pk=pk,
    )
    if not access.can(request.user, "assign_grid_workers", assignment.grid):
        raise PermissionDenied(_("Your role may not assign grid workers here."))
    try:
        grid_worker_unassign(assignment=assignment, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s no longer serves %(grid)s.")
            % {"name": assignment.worker.person.name, "grid": assignment.grid.name},
        )
    return redirect(reverse("grids:grid-detail", args=[assignment.grid_id]))


@login_required
def grid_edit(request, grid_pk):
    grid = _grid_in_scope(request.user, grid_pk)
    if not access.can(request.user, "manage_units", grid):
        raise PermissionDenied(_("Your role does not allow this."))
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


def public_url(request, profile) -> str:
    """The address printed in the QR code. Staff often print posters from an intranet address
    residents' phones cannot reach, so SHANZHI_PUBLIC_BASE_URL, when set, wins."""
    base = settings.SHANZHI_PUBLIC_BASE_URL
    if base:
        return base.rstrip("/") + profile.get_public_url()
    return request.build_absolute_uri(profile.get_public_url())
