"""The session list between two days (the dashboards' drill-down of sessions held)."""

import datetime

import pytest
from django.urls import reverse

from governance.testing import frozen
from outreach.services import reception as services

pytestmark = pytest.mark.django_db


def test_the_session_list_between_two_days(client, request):
    w = request.getfixturevalue("reception_world")
    for community, day in (
        (w.community_a, datetime.date(2026, 2, 28)),
        (w.community_a, datetime.date(2026, 3, 1)),
        (w.community_a2, datetime.date(2026, 3, 31)),
        (w.community_b, datetime.date(2026, 3, 10)),
        (w.community_a, datetime.date(2026, 4, 1)),
    ):
        with frozen(2026, 4, 2, 10):
            services.session_record(community=community, date=day, actor=w.district_admin)
    client.force_login(w.district_admin)
    url = reverse("outreach:reception-session-list")

    def count(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return response.context["page"].paginator.count

    march = {"from": "2026-03-01", "to": "2026-03-31"}
    assert count(**march) == 3
    assert count(unit=w.township_a.pk, **march) == 2
    assert count(**{"from": "2026-03-31"}) == 2
    assert count(to="2026-02-28") == 1
    assert count() == count(**{"from": "bad"}) == 5
    # Within the unit only, as before.
    assert count(unit=w.community_b.pk) == 1
