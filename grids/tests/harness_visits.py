"""Harness cases of the visit pages (tests/test_url_harness.py runs them).

Households and visits are made on the fly in grid A (worker A's) and grid B (outside).
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from grids.models import Household, VisitLog
from tests.harness import Case


def _household(grid, room="101"):
    household, _ = Household.objects.get_or_create(
        grid=grid, building="1号楼", entrance="1单元", room=room, defaults={"head_name": "李四"}
    )
    return household


def _visit(grid, worker, photo=False):
    visit = VisitLog.objects.create(
        household=_household(grid), grid=grid, worker=worker, all_well=True
    )
    if photo:
        name = "visits/harness/photo.gif"
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(b"GIF89a"))
        visit.photo = name
        visit.save(update_fields=["photo"])
    return visit


def _visit_a(w, **kwargs):
    return {"pk": _visit(w.grid_a, w.worker_a, **kwargs).pk}


def _visit_b(w, **kwargs):
    return {"pk": _visit(w.grid_b, w.worker_b, **kwargs).pk}


CASES = [
    Case("grids:visit-list", viewer="worker_a"),
    Case("grids:visit-new", viewer="worker_a"),
    Case("grids:visit-detail", _visit_a, _visit_b, viewer="worker_a"),
    Case("grids:visit-review", _visit_a, _visit_b, viewer="secretary_a", post_only=True),
    Case("grids:visit-supplement", _visit_a, _visit_b, viewer="worker_a", post_only=True),
    Case(
        "grids:visit-photo",
        lambda w: _visit_a(w, photo=True),
        lambda w: _visit_b(w, photo=True),
        viewer="worker_a",
    ),
    Case(
        "grids:visit-form",
        lambda w: {"pk": _household(w.grid_a).pk},
        lambda w: {"pk": _household(w.grid_b).pk},
        viewer="worker_a",
    ),
    Case("grids:visit-export"),
]
