"""The measure pages: late measures in red, status steps by POST and where they land."""

import datetime

import pytest
from django.urls import reverse

from economy import services
from economy.models import IncomeMeasure
from economy.tests.conftest import YEAR
from governance.testing import frozen

pytestmark = pytest.mark.django_db


def test_late_measures_show_red(client, eco):
    services.measure_create(
        actor=None,
        village=eco.village_a,
        title="闲置校舍出租",
        owner_name="王建国",
        deadline=datetime.date(YEAR, 5, 1),
    )
    client.force_login(eco.staff_a)
    with frozen(eco.today, 10):
        response = client.get(reverse("economy:measure-list") + f"?year={YEAR}&state=late")
    assert response.context["page"].paginator.count == 1
    assert 'class="late"' in response.content.decode()


def test_measure_done_by_post(client, eco):
    m = services.measure_create(
        actor=None,
        village=eco.community_a,
        title="出租",
        owner_name="王建国",
        deadline=datetime.date(YEAR, 5, 1),
    )
    client.force_login(eco.secretary_a)
    response = client.post(reverse("economy:measure-status", args=[m.pk]), {"status": "done"})
    assert response.status_code == 302
    assert IncomeMeasure.objects.get(pk=m.pk).status == "done"
    # Done → cancelled is not a step: refused, nothing changes.
    client.post(reverse("economy:measure-status", args=[m.pk]), {"status": "cancelled"})
    assert IncomeMeasure.objects.get(pk=m.pk).status == "done"


def test_measure_status_with_a_next_that_is_not_a_url_lands_on_the_list(client, eco):
    m = services.measure_create(
        actor=None,
        village=eco.community_a,
        title="出租",
        owner_name="王建国",
        deadline=datetime.date(YEAR, 5, 1),
    )
    client.force_login(eco.secretary_a)
    url = reverse("economy:measure-status", args=[m.pk])
    response = client.post(url, {"status": "done", "next": "foo"})
    assert response.status_code == 302 and response["Location"] == reverse("economy:measure-list")
    assert IncomeMeasure.objects.get(pk=m.pk).status == "done"
