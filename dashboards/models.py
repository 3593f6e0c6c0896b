"""Pre-computed dashboards: the district's and its townships' figures for the standard periods,
refreshed by Celery (dashboards.tasks.refresh_snapshots) so that leaders' pages read one row."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from governance.models import Unit


class Snapshot(models.Model):
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("Unit")
    )
    preset = models.CharField(_("Period"), max_length=16)
    start = models.DateField(_("From"))
    end = models.DateField(_("Until (excluded)"))
    data = models.JSONField(_("Figures"))
    computed_at = models.DateTimeField(_("Computed at"))
    took_ms = models.PositiveIntegerField(_("Computation time (ms)"), default=0)

    class Meta:
        verbose_name = _("Dashboard snapshot")
        verbose_name_plural = _("Dashboard snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "preset", "start", "end"], name="dashboards_snapshot_unique"
            )
        ]

    def __str__(self):
        return f"{self.unit_id} {self.preset} {self.start}"
