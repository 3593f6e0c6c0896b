"""Harness cases of the grid pages reachable without signing in (tests/test_url_harness.py)."""

import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from governance.tests.factories import make_person
from grids.models import GridProfile
from grids.services.workers import grid_worker_assign, grid_worker_register
from tests.harness import Case


def _token(grid):
    return {"token": GridProfile.objects.get_or_create(grid=grid)[0].public_token}


def _worker_photo(grid):
    name = "grid_workers/harness.gif"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(b"GIF89a"))
    worker = grid_worker_register(person=make_person(grid, "吴桂英"))
    worker.photo = name
    worker.save(update_fields=["photo"])
    grid_worker_assign(worker=worker, grid=grid, started_on=datetime.date(2025, 1, 1))
    return {**_token(grid), "worker_pk": worker.pk}


CASES = [
    Case("grids:public-grid", lambda w: _token(w.grid_a), public=True),
    Case("grids:public-grid-qr", lambda w: _token(w.grid_a), public=True),
    Case("grids:public-worker-photo", lambda w: _worker_photo(w.grid_a), public=True),
]
