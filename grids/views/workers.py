"""The grid worker registry, and posting a worker to a grid or taking them off."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance import access
from governance.models import Person
from governance.pages import paginate
from grids.forms.workers import GridAssignmentForm
from grids.models import GridAssignment
from grids.services.workers import (
    grid_worker_assign,
    grid_worker_register,
    grid_worker_unassign,
    workers_with_grids,
)
from grids.views.grids import grid_in_scope


@login_required
def worker_list(request):
    workers = workers_with_grids(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        workers = workers.filter(
            Q(person__name__icontains=query) | Q(assignments__grid__name__icontains=query)
        ).distinct()
    page = paginate(request, workers)
    # A list never shows full private numbers: the person's page reveals them, recorded.
    for worker in page:
        worker.phone_shown = worker.person.phone_masked
    return render(request, "grids/worker_list.html", {"page": page, "query": query})


@login_required
def grid_assign(request, grid_pk):
    """Post a grid worker to the grid (a new grid after a split has none until someone does)."""
    grid = grid_in_scope(request.user, grid_pk)
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
