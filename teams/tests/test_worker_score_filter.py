"""The community-worker list filtered by a monthly score: ?scored=YYYY-MM and ?unscored=YYYY-MM."""

import datetime

import pytest
from django.urls import reverse

from teams.services.assessments import scores_save
from teams.tests.builders import sheet_row

pytestmark = pytest.mark.django_db

MONTH = datetime.date(2026, 3, 1)


def test_workers_with_and_without_a_score_for_a_month(client, teams_world):
    w = teams_world
    first, second, _third = w.workers_a
    scores_save(
        community=w.community_a,
        month=MONTH,
        rows=[sheet_row(first, 50, 30), sheet_row(second, 40, 30)],
        actor=w.staff_a,
        today=datetime.date(2026, 4, 5),
    )
    scores_save(
        community=w.community_b,
        month=datetime.date(2026, 2, 1),
        rows=[sheet_row(w.worker_b, 50, 30)],
        actor=w.staff_b,
        today=datetime.date(2026, 4, 5),
    )
    client.force_login(w.district_admin)
    url = reverse("teams:worker-list")

    def listed(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return {row[1].text for row in response.context["table"].rows}, response.context["count"]

    assert listed(scored="2026-03") == ({first.person.name, second.person.name}, 2)
    assert listed(scored="2026-03", unit=w.township_b.pk) == (set(), 0)
    names, count = listed(unscored="2026-03")
    assert count == 3 and first.person.name not in names
    assert listed(unscored="2026-03", unit=w.community_a.pk) == ({w.workers_a[2].person.name}, 1)
    assert listed(scored="2026-02") == ({w.worker_b.person.name}, 1)
    assert listed(scored="nonsense")[1] == 5
