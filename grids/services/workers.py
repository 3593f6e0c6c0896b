"""Grid workers (网格员): registering them, posting them to grids and taking them off.

An assignment is the history of who served a grid when: posting opens one, taking a worker
off closes it, nothing is deleted. A grid may have several workers at once (a full-time and a
part-time one). A worker who has a login account also holds the governance role "grid
worker" at the grid while assigned, so the account sees exactly the grids it serves.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import access, services
from governance.models import Membership, Person, Role, Unit
from grids.models import GridAssignment, GridWorker, WorkerKind
from grids.services.grids import grid_profile_for


def _require(actor, grid: Unit) -> None:
    # Posting a worker gives an account the grid worker's role: the community above the grid,
    # its township or the district decides it (governance.access "assign_grid_workers").
    if actor is not None and not access.can(actor, "assign_grid_workers", grid):
        raise PermissionDenied(_("Your role may not assign grid workers here."))


@transaction.atomic
def grid_worker_register(
    *, person: Person, kind: str = WorkerKind.FULL_TIME, public_phone: str = ""
) -> GridWorker:
    """Make a person a grid worker (again, if they had stopped); their kind and public
    contact number are updated when they are one already."""
    from governance.normalize import normalize_phone

    worker, _created = GridWorker.objects.update_or_create(
        person=person,
        defaults={
            "kind": kind,
            "public_phone": normalize_phone(public_phone),
            "is_active": True,
        },
    )
    return worker


@transaction.atomic
def grid_worker_assign(
    *, worker: GridWorker, grid: Unit, started_on: datetime.date | None = None, actor=None
) -> GridAssignment:
    """Post a worker to a grid from `started_on` (today by default)."""
    _require(actor, grid)
    if grid.kind != Unit.Kind.GRID:
        raise ValidationError(_("%(unit)s is not a grid.") % {"unit": grid.name})
    if not worker.is_active:
        raise ValidationError(_("This grid worker is no longer active."))
    if GridAssignment.objects.filter(worker=worker, grid=grid, ended_on__isnull=True).exists():
        raise ValidationError(_("This grid worker already serves this grid."))
    started_on = started_on or timezone.localdate()
    assignment = GridAssignment.objects.create(worker=worker, grid=grid, started_on=started_on)
    grid_profile_for(grid)
    user = worker.person.user
    if user is not None and not _open_role(user, grid).exists():
        services.membership_add(user=user, unit=grid, role=Role.GRID_WORKER, started_on=started_on)
    return assignment


@transaction.atomic
def grid_worker_unassign(
    *, assignment: GridAssignment, ended_on: datetime.date | None = None, actor=None
) -> GridAssignment:
    """Take a worker off a grid: the assignment is closed (kept as history), and the account's
    grid-worker role there ends the same day."""
    _require(actor, assignment.grid)
    ended_on = ended_on or timezone.localdate()
    if ended_on < assignment.started_on:
        raise ValidationError(_("An assignment cannot end before it started."))
    updated = GridAssignment.objects.filter(pk=assignment.pk, ended_on__isnull=True).update(
        ended_on=ended_on
    )
    if not updated:
        raise ValidationError(_("This assignment has already ended."))
    assignment.ended_on = ended_on
    user = assignment.worker.person.user
    if user is not None:
        for membership in _open_role(user, assignment.grid):
            services.membership_end(membership=membership, on=max(ended_on, membership.started_on))
    return assignment


def _open_role(user, grid: Unit):
    return Membership.objects.filter(
        user=user, unit=grid, role=Role.GRID_WORKER, ended_on__isnull=True
    )


# --- reads --------------------------------------------------------------------------------


def open_assignments() -> QuerySet:
    return GridAssignment.objects.filter(ended_on__isnull=True)


def workers_on_duty(grid: Unit) -> list[GridWorker]:
    """The active workers currently assigned to the grid, full-time first."""
    return list(
        GridWorker.objects.filter(
            is_active=True,
            assignments__grid=grid,
            assignments__ended_on__isnull=True,
        )
        .select_related("person")
        .order_by("kind", "person__name", "pk")
        .distinct()
    )


def workers_with_grids(user) -> QuerySet:
    """The grid workers the user may see, each with its open assignments and their grids.

    A worker is in scope when their person is registered in the user's units or when one of
    the grids they serve is."""
    serving = GridAssignment.objects.for_user(user).filter(ended_on__isnull=True)
    return (
        GridWorker.objects.filter(
            Q(pk__in=GridWorker.objects.for_user(user).values("pk"))
            | Q(pk__in=serving.values("worker_id"))
        )
        .select_related("person", "person__unit", "person__unit__parent")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=open_assignments()
                .select_related("grid", "grid__parent")
                .order_by("grid__path"),
                to_attr="open_assignments",
            )
        )
        .order_by("person__unit__path", "person__name", "pk")
    )


def worker_grids(user) -> list[Unit]:
    """The grids the user serves as a grid worker."""
    return [m.unit for m in access.memberships(user) if m.role == Role.GRID_WORKER]
