import datetime

import pytest
from django.urls import reverse

from governance.testing import frozen
from governance.tests.factories import make_person
from outreach.models import ContactActivity, DutyContact, LiaisonDuty
from outreach.services.contacts import activity_file
from outreach.services.duties import duty_assign
from outreach.tests.fixtures import START

pytestmark = pytest.mark.django_db


def _matrix(client, user, **params):
    client.force_login(user)
    return client.get(reverse("outreach:duty-matrix"), params)


def test_a_township_sees_its_duties_only(client, duty_world):
    w = duty_world
    with frozen(2026, 3, 10, 10):
        response = _matrix(client, w.staff_a)
    shown = {row.duty.pk for row in response.context["page"]}
    assert shown == {w.leader_duty.pk, w.staff_duty.pk, w.household_duty.pk}
    with frozen(2026, 3, 10, 10):
        assert _matrix(client, w.staff_a, unit=w.township_b.pk).status_code == 404
        assert _matrix(client, w.other_admin, unit=w.township_a.pk).status_code == 404
        whole = _matrix(client, w.district_admin)
    assert whole.context["total"] == 4


def test_outsiders_get_404_on_duties_and_activities(client, duty_world):
    w = duty_world
    with frozen(2026, 3, 10, 10):
        activity, _ = activity_file(
            actor=w.staff_b,
            system="talk",
            unit=w.community_b,
            leader=w.staff_b.person,
            held_on=datetime.date(2026, 3, 10),
            summary="走访",
        )
    client.force_login(w.staff_a)
    assert client.get(reverse("outreach:duty-detail", args=[w.staff_b_duty.pk])).status_code == 404
    assert client.get(reverse("outreach:activity-detail", args=[activity.pk])).status_code == 404
    url = reverse("outreach:duty-reassign", args=[w.staff_b_duty.pk])
    assert client.post(url, {"holder": w.staff_a.person.pk}).status_code == 404


def test_matrix_status_and_counts_follow_the_period(client, duty_world):
    w = duty_world
    with frozen(2026, 3, 10, 10):
        activity_file(
            actor=w.staff_a,
            system="talk",
            unit=w.community_a,
            leader=w.staff_a.person,
            held_on=datetime.date(2026, 3, 10),
            summary="谈心",
        )
        response = _matrix(client, w.staff_a)
    by_duty = {row.duty.pk: row for row in response.context["page"]}
    assert (by_duty[w.staff_duty.pk].status, by_duty[w.staff_duty.pk].contacts) == ("done", 1)
    assert by_duty[w.leader_duty.pk].status == "behind"  # February ended without a contact
    assert response.context["totals"] == {"done": 1, "due": 0, "behind": 2}
    with frozen(2026, 3, 10, 10):
        behind = _matrix(client, w.staff_a, status="behind")
    assert {r.duty.pk for r in behind.context["page"]} == {w.leader_duty.pk, w.household_duty.pk}


def test_matrix_query_count_is_fixed(client, duty_world, django_assert_max_num_queries):
    w = duty_world
    for i in range(15):
        person = make_person(w.township_a, f"干部{i}")
        duty = duty_assign(
            holder=person, actor=w.staff_a, starts_on=START, target_unit=w.community_a2
        )
        if i % 2:
            DutyContact.objects.create(
                duty=duty,
                activity=ContactActivity.objects.create(
                    system="talk", unit=w.community_a2, leader=person, held_on=START, summary="x"
                ),
                held_on=datetime.date(2026, 3, 2),
            )
    client.force_login(w.district_admin)
    with frozen(2026, 3, 10, 10):
        client.get(reverse("outreach:duty-matrix"))  # warm the session
        with django_assert_max_num_queries(12):
            response = client.get(reverse("outreach:duty-matrix"))
    assert response.context["total"] == 19


def test_reassign_through_the_page_keeps_history(client, duty_world):
    w = duty_world
    newcomer = make_person(w.township_a, "郑八")
    client.force_login(w.staff_a)
    response = client.post(
        reverse("outreach:duty-reassign", args=[w.staff_duty.pk]),
        {"holder": newcomer.pk, "starts_on": "2026-03-01"},
    )
    new = LiaisonDuty.objects.get(holder=newcomer)
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    page = client.get(new.get_absolute_url())
    assert [d.pk for d in page.context["history"]] == [w.staff_duty.pk, new.pk]
