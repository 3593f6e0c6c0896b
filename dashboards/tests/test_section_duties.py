"""The contact work section: activities, people reached, problems raised and solved, duties
behind; their drill-downs through the outreach pages, the children, the previous period, the
fixed query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dashboards.compute import children_of
from dashboards.sections import duties as section
from dashboards.sections.base import Context
from governance.models import LedgerItem, Role, Status, Unit
from governance.periods import Period
from governance.testing import frozen
from governance.tests.factories import make_member, make_person, make_unit
from outreach.figures import contacts as contact_figures
from outreach.services.contacts import activity_file
from outreach.services.duties import duty_assign
from outreach.tests.fixtures import START

pytestmark = pytest.mark.django_db

MARCH = Period("month", datetime.date(2026, 3, 1), datetime.date(2026, 4, 1))
FEBRUARY = Period("month", datetime.date(2026, 2, 1), datetime.date(2026, 3, 1))
DAY = datetime.date


def _file(user, unit, held_on, people, problems=(), system="talk"):
    _activity, items = activity_file(
        actor=user,
        system=system,
        unit=unit,
        leader=user.person,
        held_on=held_on,
        summary="联系群众",
        people_reached=people,
        problems=list(problems),
    )
    return items


@pytest.fixture
def contacts(duty_world):
    """March 2026: community A on the 9th (3 people, 2 problems, one since solved), community
    A2 on the 10th (12), village B on the 5th (4, 1 problem), township A itself on the 3rd (2).
    February: community A on the 10th (5, 1 problem). A second duty over village B without any
    contact. On 10 March the leader's duty (township A), the household duty (community A) and
    the new duty (village B) are behind."""
    w = duty_world
    with frozen(2026, 3, 10, 10):
        _file(w.staff_a, w.community_a, DAY(2026, 2, 10), 5, ["井盖缺失"])
        items = _file(w.staff_a, w.community_a, DAY(2026, 3, 9), 3, ["路灯不亮", "楼道堆物"])
        _file(w.staff_a, w.community_a2, DAY(2026, 3, 10), 12, system="consultation")
        _file(w.staff_b, w.community_b, DAY(2026, 3, 5), 4, ["道路破损"])
        _file(w.staff_a, w.township_a, DAY(2026, 3, 3), 2, system="publicity")
        w.idle_duty = duty_assign(
            holder=make_person(w.township_b, "闲置干部"),
            actor=w.staff_b,
            starts_on=START,
            target_unit=w.community_b,
        )
    LedgerItem.objects.filter(pk=items[0].pk).update(status=Status.RESOLVED)
    return w


def _ctx(unit, previous=FEBRUARY):
    now = timezone.make_aware(datetime.datetime(2026, 3, 10, 10))
    return Context(unit=unit, children=children_of(unit), period=MARCH, previous=previous, now=now)


def compute(unit, previous=FEBRUARY):
    return section.compute(_ctx(unit, previous))


def test_values_children_and_previous(contacts):
    w = contacts
    with frozen(2026, 3, 10, 10):
        result = compute(w.district)
        own = contact_figures.figures(w.district, MARCH.start, MARCH.end)
    assert result.values == {
        "activities": 4,
        "people_reached": 21,
        "problems": 3,
        "solved": 1,
        "behind": 3,
    }
    # The app's own figures.
    assert (own.activities, own.people_reached, own.problems, own.solved, own.duties_behind) == (
        4,
        21,
        3,
        1,
        3,
    )
    # Duties behind is a state now: no previous value.
    assert result.previous == {"activities": 1, "people_reached": 5, "problems": 1, "solved": 0}
    children = {row["unit_id"]: row["values"] for row in result.children}
    assert children == {
        w.township_a.pk: {
            "activities": 3,
            "people_reached": 17,
            "problems": 2,
            "solved": 1,
            "behind": 2,
        },
        w.township_b.pk: {
            "activities": 1,
            "people_reached": 4,
            "problems": 1,
            "solved": 0,
            "behind": 1,
        },
    }
    assert [(a.count, a.url) for a in result.attention] == [(3, result.links["behind"])]
    with frozen(2026, 3, 10, 10):
        assert compute(w.district, previous=None).previous == {}


def test_a_township_counts_its_own_activities_and_duties_but_no_child_gets_them(contacts):
    w = contacts
    with frozen(2026, 3, 10, 10):
        result = compute(w.township_a)
    assert result.values["activities"] == 3 and result.values["behind"] == 2
    children = {row["unit_id"]: row["values"] for row in result.children}
    assert children[w.community_a.pk] == {
        "activities": 1,
        "people_reached": 3,
        "problems": 2,
        "solved": 1,
        "behind": 1,
    }
    assert children[w.community_a2.pk]["activities"] == 1
    assert children[w.community_a2.pk]["behind"] == 0
    # The township's own activity and the leader's duty over it fall under no child.
    assert sum(c["activities"] for c in children.values()) == 2
    assert sum(c["behind"] for c in children.values()) == 1


def _listed(client, url) -> tuple[int, list]:
    with frozen(2026, 3, 10, 10):
        response = client.get(url)
    assert response.status_code == 200, url
    page = response.context["page"]
    return page.paginator.count, list(page.object_list)


def test_every_figure_drills_down_to_that_many_rows(client, contacts):
    w = contacts
    client.force_login(w.district_admin)
    for unit in (w.district, w.township_a):
        with frozen(2026, 3, 10, 10):
            result = compute(unit)
        checked = [(result.values, result.links)] + [
            (row["values"], row["links"]) for row in result.children
        ]
        for values, links in checked:
            for key, value in values.items():
                count, rows = _listed(client, links[key])
                if key == "people_reached":
                    assert sum(a.people_reached for a in rows) == value, (unit, key)
                    assert count == values["activities"]
                else:
                    assert count == value, (unit, key, links[key])
        for attention in result.attention:
            assert _listed(client, attention.url)[0] == attention.count


def test_the_trend_counts_activities_per_month_and_week(contacts):
    w = contacts
    with frozen(2026, 3, 10, 10):
        trend = compute(w.district).trend
    assert trend["month"]["labels"][-3:] == ["2026-01", "2026-02", "2026-03"]
    assert trend["month"]["series"]["activities"][-3:] == [0, 1, 4]
    weeks = dict(zip(trend["week"]["labels"], trend["week"]["series"]["activities"], strict=True))
    assert trend["week"]["labels"][-1] == "3/30"
    assert (weeks["2/9"], weeks["3/2"], weeks["3/9"]) == (1, 2, 2)


def _grow(w, townships):
    """Townships with a village, an official covering it, activities and problems."""
    for t in range(townships):
        township = make_unit(w.district, Unit.Kind.TOWNSHIP, f"新镇{t}")
        villages = [make_unit(township, Unit.Kind.VILLAGE, f"新镇{t}村{v}") for v in range(2)]
        staff = make_member(township, Role.TOWNSHIP_STAFF, f"new_staff{t}")
        for village in villages:
            duty_assign(holder=staff.person, actor=staff, starts_on=START, target_unit=village)
            with frozen(2026, 3, 10, 10):
                _file(staff, village, DAY(2026, 3, 2), 7)
                _file(staff, village, DAY(2026, 2, 2), 1)


def _queries(unit) -> int:
    with frozen(2026, 3, 10, 10):
        ctx = _ctx(unit)
        with CaptureQueriesContext(connection) as queries:
            section.compute(ctx)
    return len(queries)


def test_the_query_count_is_fixed(contacts):
    w = contacts
    before = _queries(w.district)
    _grow(w, townships=3)
    after = _queries(w.district)
    assert after == before
    # Activities and problems per child, the same for the previous period, the duties, the
    # district policies, the contacts per duty, the trend.
    assert after == 8
