import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from governance.models import LedgerItem, Source
from governance.testing import frozen
from outreach.models import ContactActivity
from outreach.services.contacts import activity_file

pytestmark = pytest.mark.django_db

GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
    b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def _matrix(client, user, **params):
    client.force_login(user)
    return client.get(reverse("outreach:duty-matrix"), params)


def test_activity_list_query_count_is_fixed(client, duty_world, django_assert_max_num_queries):
    w = duty_world
    with frozen(2026, 3, 10, 10):
        for day in range(1, 10):
            activity_file(
                actor=w.staff_a,
                system="publicity",
                unit=w.community_a,
                leader=w.staff_a.person,
                held_on=datetime.date(2026, 3, day),
                summary="宣讲",
                problems=["路灯"] if day % 3 == 0 else [],
            )
        client.force_login(w.staff_a)
        client.get(reverse("outreach:activity-list"))
        with django_assert_max_num_queries(10):
            response = client.get(reverse("outreach:activity-list"))
    assert response.context["page"].paginator.count == 9
    assert sum(a.problem_count or 0 for a in response.context["page"]) == 3


def test_filing_from_the_phone_form_raises_items_and_turns_the_duty_to_done(client, duty_world):
    w = duty_world
    client.force_login(w.staff_a)
    with frozen(2026, 3, 10, 10):
        form = client.get(reverse("outreach:activity-new"))
        assert form.status_code == 200
        response = client.post(
            reverse("outreach:activity-new"),
            {
                "system": "talk",
                "unit": w.community_a.pk,
                "people_reached": 1,
                "summary": "与独居老人谈心",
                "problems": "楼道灯坏了\n",
                "held_on": "2026-03-10",
                "leader": w.staff_a.person.pk,
                "photo": SimpleUploadedFile("p.gif", GIF, content_type="image/gif"),
            },
        )
    assert response.status_code == 302, response.context["form"].errors
    activity = ContactActivity.objects.get()
    item = LedgerItem.objects.get(source=Source.CONTACT_ACTIVITY)
    assert item.source_record == activity and item.title == "楼道灯坏了"
    assert activity.photos.count() == 1
    with frozen(2026, 3, 10, 10):
        rows = {r.duty.pk: r for r in _matrix(client, w.staff_a).context["page"]}
    assert rows[w.staff_duty.pk].status == "done"


def test_bad_form_input_saves_nothing(client, duty_world):
    w = duty_world
    client.force_login(w.staff_a)
    with frozen(2026, 3, 10, 10):
        response = client.post(
            reverse("outreach:activity-new"),
            {"system": "talk", "unit": w.community_a.pk, "people_reached": 1, "summary": " ",
             "problems": "一个问题", "held_on": "2026-03-10", "leader": w.staff_a.person.pk},
        )  # fmt: skip
    assert response.status_code == 400
    assert not ContactActivity.objects.exists() and not LedgerItem.objects.exists()


def test_figures_equal_their_drill_downs(client, duty_world):
    w = duty_world
    with frozen(2026, 3, 10, 10):
        activity_file(
            actor=w.staff_a, system="talk", unit=w.community_a, leader=w.staff_a.person,
            held_on=datetime.date(2026, 3, 9), summary="谈心", people_reached=3,
            problems=["a", "b"],
        )  # fmt: skip
        activity_file(
            actor=w.staff_a, system="consultation", unit=w.community_a2, leader=w.staff_a.person,
            held_on=datetime.date(2026, 3, 10), summary="议事", people_reached=12,
        )  # fmt: skip
        client.force_login(w.staff_a)
        params = {"unit": w.township_a.pk, "from": "2026-03-01", "to": "2026-03-31"}
        data = client.get(reverse("outreach:activity-figures"), params).context["data"]
        assert (data.activities, data.people_reached, data.problems) == (2, 15, 2)
        assert data.by_system["talk"] == 1 and data.by_system["consultation"] == 1
        listed = client.get(
            reverse("outreach:activity-list"),
            {"unit": w.township_a.pk, "from": "2026-03-01", "to": "2026-03-31"},
        )
        assert listed.context["page"].paginator.count == data.activities
        problems = client.get(reverse("outreach:activity-problems"), {**params, "state": "raised"})
        assert problems.context["page"].paginator.count == data.problems
        behind = _matrix(client, w.staff_a, unit=w.township_a.pk, status="behind")
        assert behind.context["page"].paginator.count == data.duties_behind


def test_figures_page_query_count_is_fixed(client, duty_world, django_assert_max_num_queries):
    w = duty_world
    with frozen(2026, 3, 10, 10):
        for day in range(1, 8):
            activity_file(
                actor=w.staff_a, system="talk", unit=w.community_a, leader=w.staff_a.person,
                held_on=datetime.date(2026, 3, day), summary="谈心", problems=["问题"],
            )  # fmt: skip
        client.force_login(w.district_admin)
        client.get(reverse("outreach:activity-figures"))
        with django_assert_max_num_queries(12):
            response = client.get(reverse("outreach:activity-figures"))
    assert response.context["data"].problems == 7
