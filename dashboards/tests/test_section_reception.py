"""The reception-day section: sessions, demands collected, resolved and still open, the
resolution rate, the overdue reception-day items; their drill-downs through the outreach and
ledger pages, the children, the previous period, the fixed query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dashboards.compute import children_of
from dashboards.sections import reception as section
from dashboards.sections.base import Context
from governance.ledger import services as ledger_services
from governance.models import Ledger, LedgerKind, Unit
from governance.periods import Period
from governance.testing import frozen
from governance.tests.factories import make_unit
from outreach.figures.reception import reception_children, reception_figures
from outreach.services import reception as services

pytestmark = pytest.mark.django_db

MARCH = Period("month", datetime.date(2026, 3, 1), datetime.date(2026, 4, 1))
FEBRUARY = Period("month", datetime.date(2026, 2, 1), datetime.date(2026, 3, 1))
DAY = datetime.date


def _session(community, day, actor):
    with frozen(day.year, day.month, day.day, 10):
        return services.session_record(community=community, date=day, actor=actor)


def _demand(session, title, actor, *, on_spot=False, due=None):
    day = session.date
    with frozen(day.year, day.month, day.day, 10):
        return services.demand_add(
            session=session,
            actor=actor,
            title=title,
            answered_on_spot=on_spot,
            reply="已当场答复" if on_spot else "",
            measures="" if on_spot else "协调处理",
            due_on=None if on_spot else (due or day + datetime.timedelta(days=10)),
        )


@pytest.fixture
def demands(request):
    """February 23: community A, 1 demand still open (due 5 March). March: community A on the
    3rd (1 answered on the spot, 1 open due the 13th) and the 6th (1, resolved that day);
    community A2 on the 4th (1 on the spot); village B on the 5th (1 open, due the 30th).
    On 20 March two reception-day items are overdue (the February one and the 3 March one)."""
    w = request.getfixturevalue("reception_world")
    feb = _session(w.community_a, DAY(2026, 2, 23), w.secretary_a)
    _demand(feb, "上月诉求", w.secretary_a, due=DAY(2026, 3, 5))
    tue = _session(w.community_a, DAY(2026, 3, 3), w.secretary_a)
    _demand(tue, "咨询养老补贴", w.secretary_a, on_spot=True)
    _demand(tue, "楼道灯不亮", w.secretary_a, due=DAY(2026, 3, 13))
    wed = _session(w.community_a2, DAY(2026, 3, 4), w.staff_a)
    _demand(wed, "咨询医保", w.staff_a, on_spot=True)
    thu = _session(w.community_b, DAY(2026, 3, 5), w.staff_b)
    _demand(thu, "道路破损", w.staff_b, due=DAY(2026, 3, 30))
    fri = _session(w.community_a, DAY(2026, 3, 6), w.secretary_a)
    fixed = _demand(fri, "垃圾清运不及时", w.secretary_a)
    with frozen(2026, 3, 6, 16):
        item = ledger_services.item_accept(item=fixed.item, actor=w.secretary_a)
        ledger_services.item_resolve(item=item, actor=w.secretary_a, result="已协调清运")
    return w


NOW = (2026, 3, 20, 10)


def _ctx(unit, previous=FEBRUARY):
    now = timezone.make_aware(datetime.datetime(*NOW))
    return Context(unit=unit, children=children_of(unit), period=MARCH, previous=previous, now=now)


def compute(unit, previous=FEBRUARY):
    with frozen(*NOW):
        return section.compute(_ctx(unit, previous))


def test_values_children_and_previous(demands):
    w = demands
    result = compute(w.district)
    assert result.values == {
        "sessions": 4,
        "collected": 5,
        "resolved": 3,
        "open": 2,
        "resolution_rate": 3 / 5,
    }
    with frozen(*NOW):
        own = reception_figures(w.district, MARCH.start, MARCH.end)
    assert (own.sessions, own.collected, own.resolved, own.open) == (4, 5, 3, 2)
    assert result.previous == {
        "sessions": 1,
        "collected": 1,
        "resolved": 0,
        "open": 1,
        "resolution_rate": 0.0,
    }
    children = {row["unit_id"]: row["values"] for row in result.children}
    assert children == {
        w.township_a.pk: {
            "sessions": 3,
            "collected": 4,
            "resolved": 3,
            "open": 1,
            "resolution_rate": 0.75,
        },
        w.township_b.pk: {
            "sessions": 1,
            "collected": 1,
            "resolved": 0,
            "open": 1,
            "resolution_rate": 0.0,
        },
    }
    assert [a.count for a in result.attention] == [2]
    assert compute(w.district, previous=None).previous == {}


def test_a_township_ranks_its_communities_as_the_figures_page_does(demands):
    w = demands
    result = compute(w.township_a)
    children = {row["unit_id"]: row["values"] for row in result.children}
    with frozen(*NOW):
        own = {
            row["unit"].pk: row["figures"]
            for row in reception_children(w.township_a, MARCH.start, MARCH.end)
        }
    for pk, values in children.items():
        assert (values["sessions"], values["collected"], values["resolved"], values["open"]) == (
            own[pk].sessions,
            own[pk].collected,
            own[pk].resolved,
            own[pk].open,
        )
    assert children[w.community_a.pk]["collected"] == 3
    # A community without data is a row of zeros, its rate without a denominator.
    empty = make_unit(w.township_a, Unit.Kind.COMMUNITY, "新社区")
    rows = {row["unit_id"]: row["values"] for row in compute(w.township_a).children}
    assert rows[empty.pk]["collected"] == 0 and rows[empty.pk]["resolution_rate"] is None


def _listed(client, url) -> int:
    with frozen(*NOW):
        response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


def test_every_figure_drills_down_to_that_many_rows(client, demands):
    w = demands
    client.force_login(w.district_admin)
    for unit in (w.district, w.township_a):
        result = compute(unit)
        checked = [(result.values, result.links)] + [
            (row["values"], row["links"]) for row in result.children
        ]
        for values, links in checked:
            for key, value in values.items():
                expected = values["resolved"] if key == "resolution_rate" else value
                assert _listed(client, links[key]) == expected, (unit, key, links[key])
        for attention in result.attention:
            assert _listed(client, attention.url) == attention.count, attention.url


def test_the_trend_counts_demands_per_month_and_week(demands):
    w = demands
    trend = compute(w.district).trend
    assert trend["month"]["labels"][-2:] == ["2026-02", "2026-03"]
    assert trend["month"]["series"]["collected"][-2:] == [1, 5]
    assert trend["month"]["series"]["resolved"][-2:] == [0, 3]
    weeks = dict(zip(trend["week"]["labels"], trend["week"]["series"]["collected"], strict=True))
    assert (weeks["2/23"], weeks["3/2"]) == (1, 5)


def _grow(w, townships):
    for t in range(townships):
        township = make_unit(w.district, Unit.Kind.TOWNSHIP, f"新镇{t}")
        for v in range(2):
            village = make_unit(township, Unit.Kind.VILLAGE, f"新镇{t}村{v}")
            Ledger.objects.create(
                unit=village, name=f"{village.name}接待日台账", kind=LedgerKind.RECEPTION_DAY,
                prefix=f"X{t}{v}",
            )  # fmt: skip
            for day in (DAY(2026, 2, 9), DAY(2026, 3, 9)):
                session = _session(village, day, w.district_admin)
                _demand(session, "诉求", w.district_admin, on_spot=v == 0)
                _demand(session, "又一件", w.district_admin)


def _queries(unit) -> int:
    with frozen(*NOW):
        ctx = _ctx(unit)
        with CaptureQueriesContext(connection) as queries:
            section.compute(ctx)
    return len(queries)


def test_the_query_count_is_fixed(demands):
    w = demands
    before = _queries(w.district)
    _grow(w, townships=3)
    after = _queries(w.district)
    assert after == before
    # Demands and sessions per community, the communities' paths, the previous period's two,
    # the overdue items, the trend.
    assert after == 7
