"""The people-and-teams section: training, reserve cadres and monthly scores, drill-downs through
the real list pages, children, previous period, attention, trend and fixed queries."""

import datetime
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dashboards.compute import children_of
from dashboards.sections import teams as section
from dashboards.sections.base import Context
from governance.models import Unit
from governance.periods import Period
from governance.tests.factories import make_person
from teams.models import Attendance, ScoreCriterion
from teams.rules import add_months
from teams.services.assessments import scores_save
from teams.services.reserve import reserve_add, reserve_remove
from teams.services.secondments import secondment_save
from teams.services.training import attendance_add, training_create
from teams.services.workers import worker_create
from teams.tests.builders import district_admin

OCTOBER = Period("month", datetime.date(2026, 10, 1), datetime.date(2026, 11, 1))
SEPTEMBER = Period("month", datetime.date(2026, 9, 1), datetime.date(2026, 10, 1))
LATER = datetime.date(2026, 12, 3)  # "today" of the score sheets


def _session(unit, day, people, title="培训"):
    session = training_create(
        actor=district_admin(unit), unit=unit, title=title, topic="party", held_on=day
    )
    attendance_add(actor=district_admin(unit), session=session, people=people)
    return session


def _score(worker, month):
    criteria = ScoreCriterion.objects.filter(district__path=worker.community.path[: Unit.steplen])
    scores_save(
        actor=district_admin(worker.community),
        community=worker.community,
        month=month,
        rows=[{"worker": worker, "version": None, "points": {c.pk: Decimal(30) for c in criteria}}],
        today=LATER,
    )


def _reserve(village, name, on=datetime.date(2026, 1, 5)):
    return reserve_add(
        actor=district_admin(village),
        village=village,
        person=make_person(village, name),
        education="bachelor",
        source="graduate",
        added_on=on,
    )


@pytest.fixture
def tworld(world):
    w = world
    for order, name in enumerate(("工作实绩", "群众评价")):
        ScoreCriterion.objects.create(
            district=w.district, name=name, max_points=Decimal(60), order=order
        )
    started = datetime.date(2024, 1, 1)
    w.people_a = [make_person(w.community_a, name) for name in ("张敏", "李娜", "王芳")]
    w.workers_a = [
        worker_create(actor=w.district_admin, person=p, community=w.community_a, started_on=started)
        for p in w.people_a
    ]
    w.worker_a2 = worker_create(
        actor=w.district_admin,
        person=make_person(w.community_a2, "赵磊"),
        community=w.community_a2,
        started_on=started,
    )
    w.person_b = make_person(w.community_b, "刘洋")
    w.worker_b = worker_create(
        actor=w.district_admin, person=w.person_b, community=w.community_b, started_on=started
    )
    october, september = datetime.date(2026, 10, 1), datetime.date(2026, 9, 1)
    for worker in (w.workers_a[0], w.workers_a[1], w.worker_b):
        _score(worker, october)
    _score(w.workers_a[2], september)
    p1, p2, p3 = w.people_a
    d = datetime.date
    _session(w.township_a, d(2026, 10, 10), [p1, p2])
    _session(w.community_a, d(2026, 10, 20), [p1, p3])
    _session(w.township_b, d(2026, 10, 15), [w.person_b])
    _session(w.district, d(2026, 10, 31), [p1, w.person_b])  # at the district itself
    _session(w.community_b, d(2026, 9, 30), [w.person_b])
    _session(w.township_a, d(2026, 11, 1), [p1])
    for i in range(3):
        _reserve(w.community_a, f"后备甲{i}")
    _reserve(w.community_a2, "后备乙")
    left = _reserve(w.community_a2, "后备丙")
    reserve_remove(actor=w.district_admin, cadre=left, on=d(2026, 6, 1))
    secondment_save(
        actor=w.district_admin,
        worker=w.workers_a[0],
        to_office="区委组织部",
        started_on=d(2026, 8, 1),
        planned_end_on=d(2026, 9, 30),
    )
    secondment_save(
        actor=w.district_admin,
        worker=w.worker_b,
        to_office="镇政府",
        started_on=d(2026, 8, 1),
        planned_end_on=d(2026, 9, 30),
        returned_on=d(2026, 9, 30),
        approval_document="莱组字〔2026〕12号",
        approved_on=d(2026, 7, 30),
    )
    return w


def _ctx(unit, period=OCTOBER, previous=SEPTEMBER):
    return Context(unit=unit, children=children_of(unit), period=period, previous=previous)


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"]


def test_figures_children_and_previous(tworld):
    w = tworld
    result = section.compute(_ctx(w.district))
    assert result.values == {
        "sessions": 4,
        "people": 4,
        "reserve": 4,
        "below_minimum": 2,
        "scored": 0.6,
    }
    assert result.previous == {"sessions": 1, "people": 1}
    assert all(section.SECTION.figure(k).current for k in ("reserve", "below_minimum", "scored"))
    rows = {row["name"]: row["values"] for row in result.children}
    assert rows == {
        w.township_a.name: {
            "sessions": 2,
            "people": 3,
            "reserve": 4,
            "below_minimum": 1,
            "scored": 0.5,
        },
        w.township_b.name: {
            "sessions": 1,
            "people": 1,
            "reserve": 0,
            "below_minimum": 1,
            "scored": 1.0,
        },
    }
    counts = [a.count for a in result.attention]
    assert counts == [2, 2, 1]  # below the minimum, not scored, secondments flagged
    assert "2026-10" in str(result.note)
    json.dumps(result.as_dict())  # JSON-ready, as snapshots store it


def test_the_score_month_is_the_latest_month_over_in_the_period(tworld):
    first = timezone.localdate().replace(day=1)
    this_month = Period("month", first, add_months(first, 1))
    ctx = _ctx(tworld.district, this_month, None)
    assert section.score_month(ctx) == add_months(this_month.start, -1)
    assert section.score_month(_ctx(tworld.district)) == OCTOBER.start
    assert section.compute(ctx).previous == {}


def test_drilldowns_list_exactly_the_rows(tworld, client):
    w = tworld
    client.force_login(w.district_admin)
    result = section.compute(_ctx(w.district))
    rows = [{"values": result.values, "links": result.links}, *result.children]
    for row in rows:
        values, links = row["values"], row["links"]
        for key in ("sessions", "reserve", "below_minimum"):
            assert _get(client, links[key]).paginator.count == values[key], (key, row.get("name"))
        sessions = list(_get(client, links["people"]).paginator.object_list)
        people = Attendance.objects.filter(session__in=sessions).values("person").distinct()
        assert people.count() == values["people"]
        scored = _get(client, links["scored"]).paginator.count
        workers = _get(client, links["scored"].split("&scored")[0]).paginator.count
        assert scored / workers == values["scored"]
    for attention in result.attention:
        assert _get(client, attention.url).paginator.count == attention.count


def test_trend(tworld):
    result = section.compute(_ctx(tworld.district))
    month = result.trend["month"]
    assert month["labels"][-2:] == ["2026-09", "2026-10"]
    assert month["series"]["sessions"][-2:] == [1, 4]


def test_a_fixed_number_of_queries(tworld):
    w = tworld
    ctx = _ctx(w.district)
    with CaptureQueriesContext(connection) as few:
        section.compute(ctx)
    for i in range(6):
        person = make_person(w.community_b, f"新人{i}")
        worker = worker_create(
            actor=w.district_admin,
            person=person,
            community=w.community_b,
            started_on=datetime.date(2025, 1, 1),
        )
        _score(worker, OCTOBER.start)
        _session(w.community_b, datetime.date(2026, 10, 1 + i), [person, w.person_b])
        _reserve(w.community_b, f"后备{i}")
    ctx = _ctx(w.district)
    with CaptureQueriesContext(connection) as many:
        result = section.compute(ctx)
    assert result.values["sessions"] == 10
    assert len(many) == len(few) <= 11
