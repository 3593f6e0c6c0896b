"""Reminder kinds of liaison duties (registered in outreach/apps.py).

Sweeps compute, from the rows, every current duty's status on `today`
(outreach.figures.duties.duty_rows) and `governance.notifications.deliver` claims each
reminder under (recipient, kind, subject, day): at most once per subject, kind and day, even
with two sweeps at once. A beat that was down catches up on its next run: the status is
computed for the day it runs, so a duty still behind is reminded then.

Kinds
- outreach.duty_behind: every day a duty is behind (no contact yet this period and two thirds
  of it gone, or the previous period missed), its holder's login account is told. Subject:
  the duty. Holders without an account are not reminded (their superiors are, once overdue).
- outreach.duty_overdue: every day a duty is overdue (the previous period ended without a
  contact, and none yet this period), the superiors of its holder get one reminder per
  holder's unit listing those duties. Subject: the holder's unit.

Superiors of a holder: the active accounts with a current role that holds "view_figures"
(district administrator, leader, township staff, community secretary) at the unit above the
holder's unit — the holder's own unit for district-level people — other than the holder.
"""

import datetime
from collections import defaultdict

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from governance.access import CAPABILITIES
from governance.models import Unit
from governance.recipients import staff_of
from governance.registry import Reminder, ReminderKind
from outreach.figures.duties import DutyStatus, duty_rows
from outreach.models import LiaisonDuty

SUPERIOR_ROLES = tuple(role for role, caps in CAPABILITIES.items() if "view_figures" in caps)
SUPERIOR_ROLES = tuple(r for r in SUPERIOR_ROLES if r != "department_handler")


def _rows(today: datetime.date):
    duties = (
        LiaisonDuty.objects.current(today)
        .select_related("holder", "holder__unit", "scope_unit", "target_unit", "target_zone")
        .order_by("pk")
    )
    return [r for r in duty_rows(duties, today) if r.status == DutyStatus.BEHIND]


def duty_behind(today: datetime.date):
    for row in _rows(today):
        duty = row.duty
        if duty.holder.user_id is None:
            continue
        yield Reminder.about(
            recipient_id=duty.holder.user_id,
            subject=duty,
            title=_("Liaison duty behind: %(target)s, no contact yet this period (until %(last)s)")
            % {"target": duty.target_label, "last": row.period.last.isoformat()},
            body=_("File the contact activity when it is done; the duty then turns to done."),
            url=reverse("outreach:activity-new"),
        )


def _superiors(today, units: list[Unit]) -> dict[int, list[int]]:
    """{holder unit id: user ids of its superiors} (the district's own for a district)."""
    above = {u.pk: (u.parent_id or u.pk) for u in units}
    staff = staff_of(today, set(above.values()), roles=SUPERIOR_ROLES)
    return {pk: staff.get(parent, []) for pk, parent in above.items()}


def duty_overdue(today: datetime.date):
    by_unit = defaultdict(list)
    for row in _rows(today):
        if row.overdue:
            by_unit[row.duty.holder.unit_id].append(row)
    if not by_unit:
        return
    units = {r[0].duty.holder.unit.pk: r[0].duty.holder.unit for r in by_unit.values()}
    superiors = _superiors(today, list(units.values()))
    for unit_id, rows in sorted(by_unit.items()):
        unit = units[unit_id]
        holders = {r.duty.holder.user_id for r in rows}
        names = "、".join(f"{r.duty.holder.name}（{r.duty.target_label}）" for r in rows[:20])
        title = ngettext(
            "%(count)d liaison duty of %(unit)s missed its last period: %(names)s",
            "%(count)d liaison duties of %(unit)s missed their last period: %(names)s",
            len(rows),
        ) % {"count": len(rows), "unit": unit.name, "names": names}
        url = f"{reverse('outreach:duty-matrix')}?{urlencode({'status': 'behind'})}"
        for user_id in superiors.get(unit_id, []):
            if user_id in holders and len(holders) == 1:
                continue
            yield Reminder(
                recipient_id=user_id, subject_type=Unit, subject_id=unit_id, title=title, url=url
            )


KINDS = [
    ReminderKind(
        name="outreach.duty_behind", label=gettext_lazy("Liaison duty behind"), sweep=duty_behind
    ),
    ReminderKind(
        name="outreach.duty_overdue",
        label=gettext_lazy("Liaison duties overdue (to superiors)"),
        sweep=duty_overdue,
    ),
]
