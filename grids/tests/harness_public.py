from grids.models import GridProfile
from tests.harness import Case


def _token(grid):
    return {"token": GridProfile.objects.get_or_create(grid=grid)[0].public_token}


grid_a = lambda w: {"grid_pk": w.grid_a.pk}  # noqa: E731
grid_b = lambda w: {"grid_pk": w.grid_b.pk}  # noqa: E731

CASES = [
    Case("grids:public-grid", lambda w: _token(w.grid_a), public=True),
    Case("grids:public-grid-qr", lambda w: _token(w.grid_a), public=True),
    Case("grids:worker-list"),
    Case("grids:grid-detail", grid_a, grid_b),
    Case("grids:grid-edit", grid_a, grid_b),
    Case("grids:grid-poster", grid_a, grid_b),
]
