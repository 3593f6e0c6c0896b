"""Celery tasks of the dashboards."""

from celery import shared_task
from django.core.cache import cache

from dashboards import snapshots

LOCK = "dashboards:refresh"


@shared_task(name="dashboards.tasks.refresh_snapshots")
def refresh_snapshots() -> dict:
    """Recompute the district's and townships' dashboards (every 5 minutes, see settings).

    A run still going when the next tick comes makes that tick skip: the lock expires after 10
    minutes so that a killed worker does not block refreshing for good."""
    if not cache.add(LOCK, 1, timeout=10 * 60):
        return {"skipped": True}
    try:
        return snapshots.refresh()
    finally:
        cache.delete(LOCK)
