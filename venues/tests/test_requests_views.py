"""Service request pages: log a request, step it, reveal the resident, follow up."""

import pytest
from django.urls import reverse

from venues.models import ServiceRequest

pytestmark = pytest.mark.django_db


def test_request_flow_through_pages(client, sites):
    client.force_login(sites.secretary_a)
    response = client.post(
        reverse("venues:request-create"),
        {
            "venue": sites.centre.pk,
            "matter": sites.matter.pk,
            "kind": "assisted",
            "resident_name": "赵六",
            "resident_phone": "13700001111",
        },
    )
    row = ServiceRequest.objects.get()
    assert response.status_code == 302
    client.post(
        reverse("venues:request-step", args=[row.pk]),
        {"step": "relay", "department": sites.department.pk},
    )
    row.refresh_from_db()
    assert row.status == "relayed" and row.relayed_to == sites.department
    client.post(reverse("venues:request-follow-up", args=[row.pk]))
    row.refresh_from_db()
    assert row.ledger_item is not None
    client.force_login(sites.handler)
    client.post(reverse("venues:request-step", args=[row.pk]), {"step": "done", "answer": "好"})
    row.refresh_from_db()
    assert row.status == "done"
