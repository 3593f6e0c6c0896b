"""Reminders of waiting and unanswered service requests: once per request, kind and day;
counted in working days; caught up after a gap."""

import datetime

import pytest

from governance.models import Notification
from governance.notifications import run_sweeps
from governance.testing import moment
from venues.services import requests as request_services

pytestmark = pytest.mark.django_db
KINDS = ["venues.request_waiting", "venues.request_relayed"]


def _request(w, received):
    return request_services.request_create(
        venue=w.centre,
        matter=w.matter,
        kind="proxy",
        resident_name="李四",
        actor=None,
        received_at=received,
    )


def test_waiting_request_reminds_the_community_once_a_day(sites):
    # Received on Tuesday 29 September; 30 September is a working day, then National Day.
    row = _request(sites, moment(2026, 9, 29, 10))
    assert run_sweeps(datetime.date(2026, 9, 30), KINDS)["venues.request_waiting"] == 0
    # 1 October–7 October are holidays: still one working day only.
    assert run_sweeps(datetime.date(2026, 10, 7), KINDS)["venues.request_waiting"] == 0
    sent = run_sweeps(datetime.date(2026, 10, 8), KINDS)
    assert sent["venues.request_waiting"] == 1
    note = Notification.objects.get(kind="venues.request_waiting")
    assert note.recipient == sites.secretary_a and note.subject_id == row.pk
    assert run_sweeps(datetime.date(2026, 10, 8), KINDS)["venues.request_waiting"] == 0
    # Catch-up: a sweep that did not run for days still finds it.
    assert run_sweeps(datetime.date(2026, 10, 14), KINDS)["venues.request_waiting"] == 1
    request_services.request_step(request=row, step="done", actor=None)
    assert run_sweeps(datetime.date(2026, 10, 15), KINDS)["venues.request_waiting"] == 0


def test_relayed_request_reminds_department_and_venue(sites):
    row = _request(sites, moment(2026, 11, 2, 9))
    request_services.request_step(
        request=row, step="relay", actor=None, department=sites.department
    )
    from venues.models import ServiceRequest

    ServiceRequest.objects.filter(pk=row.pk).update(relayed_at=moment(2026, 11, 2, 10))
    assert run_sweeps(datetime.date(2026, 11, 6), KINDS)["venues.request_relayed"] == 0
    assert run_sweeps(datetime.date(2026, 11, 9), KINDS)["venues.request_relayed"] == 2
    recipients = set(
        Notification.objects.filter(kind="venues.request_relayed").values_list(
            "recipient", flat=True
        )
    )
    assert recipients == {sites.handler.pk, sites.secretary_a.pk}
    assert not Notification.objects.filter(recipient=sites.secretary_b).exists()
