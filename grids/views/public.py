"""亮身份: the public page of a grid, its QR code and the photos of its workers on duty — the
grid pages reachable WITHOUT signing in (staff's grid pages are grids.views.grids).

The public page is reached by the grid's unguessable token. It shows the grid, its workers on
duty (name, photo, public contact number, full-time or part-time) and the community's contact;
it reads nothing about households or visits, so no resident's data can reach it.
"""

import segno
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from governance.uploads import file_response
from grids.models import GridProfile
from grids.services.workers import workers_on_duty


def _public_profile(token: str) -> GridProfile:
    return get_object_or_404(
        GridProfile.objects.select_related("grid", "grid__parent", "grid__parent__parent"),
        public_token=token,
        grid__is_active=True,
    )


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


def public_url(request, profile) -> str:
    """The address printed in the QR code. Staff often print posters from an intranet address
    residents' phones cannot reach, so SHANZHI_PUBLIC_BASE_URL, when set, wins."""
    base = settings.SHANZHI_PUBLIC_BASE_URL
    if base:
        return base.rstrip("/") + profile.get_public_url()
    return request.build_absolute_uri(profile.get_public_url())
