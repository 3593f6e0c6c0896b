import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from governance.models import Unit
from governance.tests.factories import make_person
from grids.models import GridProfile
from grids.services.workers import grid_worker_assign, grid_worker_register
from tests.harness import Case


def _token(grid):
    return {"token": GridProfile.objects.get_or_create(grid=grid)[0].public_token}


def _assignment(grid_kwargs):
    def kwargs(w):
        grid = Unit.objects.get(pk=grid_kwargs(w)["grid_pk"])
        worker = grid_worker_register(person=make_person(grid, "岗前"))
        return {"pk": grid_worker_assign(worker=worker, grid=grid).pk}

    return kwargs


def _worker_photo(grid):
    name = "grid_workers/harness.gif"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(b"GIF89a"))
    worker = grid_worker_register(person=make_person(grid, "吴桂英"))
    worker.photo = name
    worker.save(update_fields=["photo"])
    grid_worker_assign(worker=worker, grid=grid, started_on=datetime.date(2025, 1, 1))
    return {**_token(grid), "worker_pk": worker.pk}


grid_a = lambda w: {"grid_pk": w.grid_a.pk}  # noqa: E731
grid_b = lambda w: {"grid_pk": w.grid_b.pk}  # noqa: E731

CASES = [
    Case("grids:public-grid", lambda w: _token(w.grid_a), public=True),
    Case("grids:public-grid-qr", lambda w: _token(w.grid_a), public=True),
    Case("grids:public-worker-photo", lambda w: _worker_photo(w.grid_a), public=True),
    Case("grids:grid-public-page", grid_a, grid_b),
    Case("grids:worker-list"),
    Case("grids:grid-detail", grid_a, grid_b),
    Case("grids:grid-edit", grid_a, grid_b),
    Case("grids:grid-poster", grid_a, grid_b),
    Case("grids:grid-assign", grid_a, grid_b),
    Case("grids:assignment-end", _assignment(grid_a), _assignment(grid_b), post_only=True),
]
