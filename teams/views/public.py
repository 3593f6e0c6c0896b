"""Teams pages reachable without sign-in: the published half-year ranking (半年一晾晒)."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from teams.models import (
    Ranking,
)


@require_GET
def ranking_public(request, token: str):
    """半年一晾晒, public: names and ranks only, and only while published."""
    found = get_object_or_404(
        Ranking.objects.select_related("unit"), token=token, published_at__isnull=False
    )
    entries = found.entries.select_related("worker__person", "worker__community").order_by(
        "rank", "worker__person__name"
    )
    return render(request, "teams/ranking_public.html", {"ranking": found, "entries": entries})
