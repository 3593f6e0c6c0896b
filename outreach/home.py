"""The outreach panels of the home page (declared in apps.py)."""

from django.utils import timezone

from outreach.figures.duties import duty_rows, status_label
from outreach.models import LiaisonDuty
from outreach.views.duties import DUTY_RELATED


def holder_panel(request):
    """The home panel of a duty holder: each current duty's status and "file an activity"."""
    person = getattr(request.user, "person", None)
    if person is None:
        return None
    today = timezone.localdate()
    duties = (
        LiaisonDuty.objects.current(today)
        .filter(holder=person)
        .select_related(*DUTY_RELATED)
        .order_by("tier", "pk")
    )
    rows = duty_rows(duties, today)
    if not rows:
        return None
    for row in rows:
        row.label = status_label(row.status)
    return {"rows": rows}
