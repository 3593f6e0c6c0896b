"""The pages: the score sheet, the sign-in import, the ranking and its public page, scope,
query counts and exports."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from governance.models import AuditEvent
from governance.testing import frozen
from governance.tests.factories import make_person
from teams.models import MonthlyScore, Ranking, ReserveCadre, Topic
from teams.services.assessments import scores_save
from teams.services.reserve import reserve_add
from teams.services.secondments import secondment_save
from teams.services.training import attendance_add, training_create
from teams.services.workers import worker_create

pytestmark = pytest.mark.django_db


def _sheet_post(w, month, values, versions=None):
    data = {"month": month}
    for worker, (first, second) in values.items():
        data[f"p-{worker.pk}-{w.criteria[0].pk}"] = str(first)
        data[f"p-{worker.pk}-{w.criteria[1].pk}"] = str(second)
        data[f"v-{worker.pk}"] = str((versions or {}).get(worker.pk, ""))
    return data


@frozen(2026, 5, 12, 18)
def test_township_staff_saves_the_sheet_and_the_ranking_follows(client, teams_world):
    w = teams_world
    a, b, c = w.workers_a
    client.force_login(w.staff_a)
    url = reverse("teams:scores", args=[w.community_a.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "2026-04" in page.content.decode()  # the month just ended by default
    response = client.post(url, _sheet_post(w, "2026-04", {a: (55, 35), b: (50, 30), c: (55, 35)}))
    assert response.status_code == 302
    ranking = Ranking.objects.get(unit=w.township_a, year=2026, half=1)
    assert [(e.worker_id, e.rank) for e in ranking.entries.all()] == [
        (a.pk, 1),
        (c.pk, 1),
        (b.pk, 3),
    ]
    body = client.get(reverse("teams:ranking", args=[w.township_a.pk])).content.decode()
    assert body.index("张敏") < body.index("李娜")


@frozen(2026, 5, 12, 18)
def test_stale_sheet_is_refused_with_a_message(client, teams_world):
    w = teams_world
    a, b, _c = w.workers_a
    client.force_login(w.staff_a)
    url = reverse("teams:scores", args=[w.community_a.pk])
    client.post(url, _sheet_post(w, "2026-04", {a: (50, 30), b: (50, 30)}))
    # Both opened version 1; the first save wins, the second is refused whole.
    client.post(url, _sheet_post(w, "2026-04", {a: (55, 30), b: (50, 30)}, {a.pk: 1, b.pk: 1}))
    response = client.post(
        url, _sheet_post(w, "2026-04", {a: (10, 10), b: (60, 40)}, {a.pk: 1, b.pk: 1})
    )
    assert response.status_code == 400
    assert "张敏" in response.content.decode()
    totals = dict(MonthlyScore.objects.values_list("worker_id", "total"))
    assert totals == {a.pk: Decimal(85), b.pk: Decimal(80)}


@frozen(2026, 5, 12, 18)
def test_bad_numbers_save_nothing(client, teams_world):
    w = teams_world
    a, b, _c = w.workers_a
    client.force_login(w.staff_a)
    url = reverse("teams:scores", args=[w.community_a.pk])
    response = client.post(url, _sheet_post(w, "2026-04", {a: (50, 30), b: ("abc", 30)}))
    assert response.status_code == 400
    assert not MonthlyScore.objects.exists()


@frozen(2026, 5, 12, 18)
def test_a_community_does_not_score_its_own_workers(client, teams_world):
    w = teams_world
    client.force_login(w.secretary_a)
    url = reverse("teams:scores", args=[w.community_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _sheet_post(w, "2026-04", {w.workers_a[0]: (50, 30)}))
    assert response.status_code == 403
    assert not MonthlyScore.objects.exists()


@frozen(2026, 5, 12, 18)
def test_public_ranking_shows_names_and_ranks_only_when_published(client, teams_world):
    w = teams_world
    a, b, _c = w.workers_a
    scores_save(
        community=w.community_a,
        month=datetime.date(2026, 4, 1),
        rows=[
            {
                "worker": a,
                "version": None,
                "points": {w.criteria[0].pk: Decimal(50), w.criteria[1].pk: Decimal(33)},
            },
            {
                "worker": b,
                "version": None,
                "points": {w.criteria[0].pk: Decimal(40), w.criteria[1].pk: Decimal(30)},
            },
        ],
        actor=w.staff_a,
    )
    ranking = Ranking.objects.get(unit=w.township_a)
    public = reverse("teams:ranking-public", args=[ranking.token])
    assert client.get(public).status_code == 404  # not published
    client.force_login(w.staff_b)
    assert client.post(reverse("teams:ranking-publish", args=[ranking.pk])).status_code == 404
    client.force_login(w.staff_a)
    client.post(reverse("teams:ranking-publish", args=[ranking.pk]))
    client.logout()
    body = client.get(public).content.decode()
    assert "张敏" in body and "李娜" in body
    assert "83" not in body  # no scores
    assert "花园社区" not in body  # no communities
    assert client.get(reverse("teams:ranking-public", args=["guess"])).status_code == 404


def test_reserve_export_masks_for_township_staff(client, world):
    person = make_person(world.community_a, "陈刚", phone="13912345678")
    reserve_add(
        actor=world.district_admin,
        village=world.community_a,
        person=person,
        education="bachelor",
        source="veteran",
        added_on=datetime.date(2026, 1, 1),
    )
    reserve_add(
        actor=world.district_admin,
        village=world.community_b,
        person=make_person(world.community_b, "外人"),
        education="bachelor",
        source="veteran",
        added_on=datetime.date(2026, 1, 1),
    )
    client.force_login(world.staff_a)
    response = client.get(reverse("teams:reserve-export"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("乡镇街道", "村社区", "姓名")
    assert [r[2] for r in rows[1:]] == ["陈刚"]
    assert rows[1][5] == "139****5678"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count() == 1


def test_lists_keep_to_scope(client, teams_world):
    w = teams_world
    reserve_add(
        actor=w.district_admin,
        village=w.community_b,
        person=make_person(w.community_b, "牛泉后备"),
        education="senior",
        source="migrant",
        added_on=datetime.date(2026, 1, 1),
    )
    client.force_login(w.staff_a)
    body = client.get(reverse("teams:worker-list")).content.decode()
    assert "张敏" in body and "刘洋" not in body
    assert "牛泉后备" not in client.get(reverse("teams:reserve-list")).content.decode()
    assert client.get(reverse("teams:worker-list") + f"?unit={w.community_b.pk}").status_code == 404
    client.force_login(w.worker_a)  # a grid worker has neither capability
    assert client.get(reverse("teams:worker-list")).status_code == 403


def test_worker_joins_reserve_from_the_ranking_page(client, teams_world):
    w = teams_world
    a = w.workers_a[0]
    client.force_login(w.staff_a)
    response = client.post(
        reverse("teams:worker-to-reserve", args=[a.pk]), {"education": "bachelor"}
    )
    assert response.status_code == 302
    assert ReserveCadre.objects.active().filter(person=a.person, village=w.community_a).exists()


def test_list_queries_do_not_grow(client, teams_world, django_assert_max_num_queries):
    w = teams_world
    for i in range(30):
        person = make_person(w.community_a, f"后备{i}")
        reserve_add(
            actor=w.district_admin,
            village=w.community_a,
            person=person,
            education="bachelor",
            source="graduate",
            added_on=datetime.date(2026, 1, 1),
        )
        worker = worker_create(
            actor=w.district_admin,
            person=make_person(w.community_a, f"社工{i}"),
            community=w.community_a,
            started_on=datetime.date(2025, 1, 1),
        )
        secondment_save(
            actor=w.district_admin,
            worker=worker,
            to_office="区直单位",
            started_on=datetime.date(2026, 1, 1),
            planned_end_on=datetime.date(2026, 2, 1),
        )
        session = training_create(
            actor=w.district_admin,
            unit=w.township_a,
            title=f"培训{i}",
            topic=Topic.OTHER,
            held_on=datetime.date(2026, 2, 1),
        )
        attendance_add(actor=w.district_admin, session=session, people=[person])
    client.force_login(w.staff_a)
    for name in (
        "teams:reserve-list",
        "teams:worker-list",
        "teams:secondment-list",
        "teams:training-list",
        "teams:untrained",
        "teams:reserve-shortfall",
        "teams:index",
        "teams:figures",
        "teams:quarters",
    ):
        # The figures page computes every figure of the app: more queries, still a fixed number.
        with django_assert_max_num_queries(50 if name == "teams:figures" else 25, info=name):
            assert client.get(reverse(name)).status_code == 200, name
    with django_assert_max_num_queries(25):
        assert client.get(reverse("teams:scores", args=[w.community_a.pk])).status_code == 200
