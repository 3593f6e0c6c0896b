import datetime
import io

import pytest
import time_machine
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from governance.ledger import figures, services
from governance.ledger.filters import ItemFilter
from governance.ledger.views.reviews import RANKING_COLUMNS
from governance.models import (
    AuditEvent,
    Ledger,
    LedgerItem,
    LedgerKind,
    Satisfaction,
    Source,
    Status,
    Unit,
)
from governance.testing import frozen, moment
from governance.tests.factories import make_unit

pytestmark = pytest.mark.django_db

OCTOBER = (datetime.date(2026, 10, 1), datetime.date(2026, 11, 1))
# Monday 2 November 2026, 10:00: the figures of October are read on this morning.
NOW = moment(2026, 11, 2, 10)


def at(month, day, hour=9):
    return frozen(2026, month, day, hour)


def on(month, day, hour=9):
    return moment(2026, month, day, hour)


def ledger_for(unit):
    """The nearest ledger kept at or above `unit` (items arise within their ledger's unit)."""
    ledger = (
        Ledger.objects.filter(unit__path__in=unit.ancestor_paths()).order_by("-unit__depth").first()
    )
    return ledger or Ledger.objects.create(
        unit=unit, name=f"{unit.name}台账", kind=LedgerKind.RECEPTION_DAY, prefix=f"T{unit.pk}"
    )


def receive(w, unit, month, day, *, title="楼道漏水", category="default", ledger=None, actor=None):
    return services.item_create(
        ledger=ledger or ledger_for(unit),
        title=title,
        unit=unit,
        actor=actor or (w.secretary_a if unit.is_within(w.community_a) else w.district_admin),
        source=Source.RECEPTION_DAY,
        category=w.category if category == "default" else category,
        received_at=on(month, day),
    )


def step(item, when, fn, **kwargs):
    with at(*when):
        return fn(item=LedgerItem.objects.get(pk=item.pk), **kwargs)


def close(item, when, satisfaction, actor):
    item = step(item, when, services.item_verify, actor=actor, passed=True)
    return step(
        item, when, services.item_record_satisfaction, actor=actor, satisfaction=satisfaction
    )


@pytest.fixture
def history(ledger_world):
    """October 2026 in 凤城街道 (township A), hand-built step by step. The category gives
    1 working day to accept and 10 to handle; National Day ends on 7 October and Saturday
    10 October is a make-up working day."""
    w = ledger_world
    s = w.secretary_a
    h = {}
    # A1: accepted at once, resolved on 15 Oct (3 working days), resident satisfied.
    h["a1"] = receive(w, w.grid_a, 10, 12)
    step(h["a1"], (10, 12, 10), services.item_accept, actor=s)
    step(h["a1"], (10, 15), services.item_resolve, actor=s, result="已修复")
    close(h["a1"], (10, 16), Satisfaction.SATISFIED, s)
    # A2: acknowledged late (accept by 13 Oct), resolved late (due 26 Oct) on 30 Oct: 14 days.
    h["a2"] = receive(w, w.grid_a, 10, 12, title="路灯不亮")
    step(h["a2"], (10, 16), services.item_accept, actor=s)
    step(h["a2"], (10, 30), services.item_resolve, actor=s, result="已更换灯泡")
    close(h["a2"], (10, 31), Satisfaction.BASIC, s)
    # A3: replied, still in progress, due 27 Oct: overdue on 2 Nov.
    h["a3"] = receive(w, w.community_a, 10, 13, title="噪音扰民")
    step(h["a3"], (10, 13, 11), services.item_start, actor=s)
    step(h["a3"], (10, 14), services.item_reply, actor=s, reply="已约谈商户")
    # A4: never acknowledged, due 28 Oct: overdue.
    h["a4"] = receive(w, w.community_a2, 10, 14, title="垃圾清运不及时")
    # A5: closed with an explanation.
    h["a5"] = receive(w, w.grid_a, 10, 15, title="要求增设公交站")
    step(h["a5"], (10, 15, 11), services.item_accept, actor=s)
    step(h["a5"], (10, 16), services.item_close_explained, actor=s, explanation="不属社区事权")
    # A6: resolved the day it came in, resident unsatisfied: reopened with a new deadline.
    h["a6"] = receive(w, w.community_a2, 10, 16, title="绿化带破损")
    step(h["a6"], (10, 16, 10), services.item_accept, actor=w.staff_a)
    step(h["a6"], (10, 16, 15), services.item_resolve, actor=w.staff_a, result="已补种")
    close(h["a6"], (10, 20), Satisfaction.UNSATISFIED, w.staff_a)
    # A7: resolved the next working day, not verified yet.
    h["a7"] = receive(w, w.grid_a, 10, 20, title="井盖松动")
    step(h["a7"], (10, 20, 10), services.item_accept, actor=s)
    step(h["a7"], (10, 21), services.item_resolve, actor=s, result="已加固")
    # A9: registered at the township itself: in the township's figures, in no community's.
    township_ledger = Ledger.objects.create(
        unit=w.township_a, name="凤城街道综合台账", kind=LedgerKind.GENERAL, prefix="FC"
    )
    h["a9"] = receive(
        w, w.township_a, 10, 19, category=None, ledger=township_ledger, actor=w.staff_a
    )
    # A10: handed to the housing department.
    h["a10"] = receive(w, w.grid_a, 10, 21, title="外墙脱落")
    step(h["a10"], (10, 21, 10), services.item_accept, actor=s)
    step(
        h["a10"],
        (10, 22),
        services.item_hand_over,
        actor=s,
        department=w.department,
        note="需维修基金",
    )
    # Outside the period or the township.
    h["september"] = receive(w, w.grid_a, 9, 29, title="九月的诉求")
    h["b1"] = receive(w, w.community_b, 10, 12, ledger=w.ledger_b, actor=w.secretary_b)
    return h


def test_the_township_figures_on_a_hand_built_history(history, ledger_world):
    data = figures.ledger_figures(ledger_world.township_a, *OCTOBER, now=NOW)
    assert {name: data[name] for name in figures.COUNTS} == {
        "collected": 9,
        "replied": 6,
        "resolved": 3,
        "explained": 1,
        "open": 5,
        "overdue": 2,
        "resolved_on_time": 2,
        "resolved_late": 1,
        "responded_on_time": 6,
        "rated": 3,
        "content": 2,
    }
    assert data["collected"] == data["resolved"] + data["explained"] + data["open"]
    assert data["response_rate"] == pytest.approx(6 / 9)
    assert data["resolution_rate"] == pytest.approx(3 / 9)
    assert data["satisfaction_rate"] == pytest.approx(2 / 3)
    assert data["on_time_rate"] == pytest.approx(2 / 3)
    assert data["score"] == 55.0  # 30 × 6/9 + 35 × 3/9 + 35 × 2/3
    # Working days from receipt to resolution: 3 (A1), 14 (A2), 1 (A7).
    assert data["avg_handling_workdays"] == 6.0


def test_a_community_and_a_department(history, ledger_world):
    w = ledger_world
    community = figures.ledger_figures(w.community_a2, *OCTOBER, now=NOW)
    assert (community["collected"], community["open"], community["overdue"]) == (2, 2, 1)
    assert community["rated"] == 1 and community["satisfaction_rate"] == 0
    assert community["resolved"] == 0 and community["avg_handling_workdays"] is None
    department = figures.ledger_figures(w.department, *OCTOBER, now=NOW)
    assert department["collected"] == 1 and department["open"] == 1


def test_rates_without_a_denominator_are_none(history, ledger_world):
    w = ledger_world
    empty = figures.ledger_figures(w.community_b, datetime.date(2026, 1, 1), OCTOBER[0], now=NOW)
    assert empty["collected"] == 0
    assert all(empty[name] is None for name in (*figures.RATES, "score"))
    assert empty["avg_handling_workdays"] is None
    # Nothing rated yet: the score is weighted over response and resolution alone.
    week = figures.ledger_figures(
        w.community_a, datetime.date(2026, 10, 19), datetime.date(2026, 10, 26), now=NOW
    )
    assert week["collected"] == 2 and week["satisfaction_rate"] is None
    assert week["score"] == pytest.approx(100 * (30 * 1 + 35 * 0.5) / 65, abs=0.01)


def test_the_figures_page_shows_a_dash_for_missing_rates(client, ledger_world):
    client.force_login(ledger_world.secretary_a)
    response = client.get(reverse("ledger:figures"))
    assert response.status_code == 200
    assert response.context["data"]["response_rate"] is None
    rates = response.content.decode().split('data-testid="rates"')[1]
    assert rates.count("—") >= 5  # four rates and the score


def _filtered(user, params):
    request = RequestFactory().get("/", params)
    request.user = user
    return ItemFilter(request.GET, queryset=LedgerItem.objects.for_user(user), request=request)


def test_every_figure_equals_the_length_of_its_drilldown_list(history, ledger_world):
    w = ledger_world
    cases = [
        (w.district_admin, w.district),
        (w.district_admin, w.department),
        (w.staff_a, w.township_a),
        (w.secretary_a, w.community_a),
        (w.staff_a, w.community_a2),
        (w.handler, w.department),
    ]
    with time_machine.travel(NOW, tick=False):
        for user, unit in cases:
            data = figures.ledger_figures(unit, *OCTOBER)
            for name in figures.COUNTS:
                params = figures.drilldown_params(unit, *OCTOBER, name)
                listed = _filtered(user, params)
                assert listed.is_valid(), (unit.name, name, listed.errors)
                assert listed.qs.count() == data[name], (unit.name, name, params)
            for row in figures.child_ranking(unit, *OCTOBER):
                child = Unit.objects.get(pk=row["unit_id"])
                for name in figures.COUNTS:
                    params = figures.drilldown_params(child, *OCTOBER, name)
                    assert _filtered(user, params).qs.count() == row[name], (child.name, name)


def test_the_drilldown_link_opens_the_list_page_with_those_rows(client, history, ledger_world):
    client.force_login(ledger_world.staff_a)
    with time_machine.travel(NOW, tick=False):
        response = client.get(
            reverse("ledger:figures"), {"unit": ledger_world.township_a.pk, "period": "last_month"}
        )
        link = response.context["links"]["overdue"]
        listed = client.get(link)
    assert listed.status_code == 200
    for item in ("a3", "a4"):
        assert history[item].number in listed.content.decode()
    assert history["a1"].number not in listed.content.decode()


def _counted_and_listed(user, unit, name) -> tuple[int, int]:
    """A figure of October and the length of its drill-down list, both read now."""
    data = figures.ledger_figures(unit, *OCTOBER)
    return data[name], _filtered(user, figures.drilldown_params(unit, *OCTOBER, name)).qs.count()


def test_an_item_verified_and_awaiting_the_call_back_is_resolved(ledger_world):
    w = ledger_world
    s = w.secretary_a
    item = receive(w, w.grid_a, 10, 12)
    step(item, (10, 12, 10), services.item_accept, actor=s)
    step(item, (10, 15), services.item_resolve, actor=s, result="已修复")
    item = step(item, (10, 16), services.item_verify, actor=s, passed=True)
    assert item.status == Status.VERIFIED  # 已核实待回访: the resident is not called back yet
    receive(w, w.grid_a, 10, 13, title="路灯不亮")  # still open
    data = figures.ledger_figures(w.community_a, *OCTOBER, now=NOW)
    assert (data["collected"], data["resolved"], data["open"]) == (2, 1, 1)
    assert data["resolution_rate"] == 0.5 and data["resolved_on_time"] == 1
    with time_machine.travel(NOW, tick=False):
        assert _counted_and_listed(s, w.community_a, "resolved") == (1, 1)


def test_an_item_is_overdue_only_once_its_deadline_has_passed(ledger_world):
    """Overdue means `due_at` < now: at the deadline itself the item is still in time."""
    w = ledger_world
    item = receive(w, w.grid_a, 10, 12)
    assert item.due_at is not None
    with time_machine.travel(item.due_at, tick=False):
        assert _counted_and_listed(w.secretary_a, w.community_a, "overdue") == (0, 0)
        assert LedgerItem.objects.yellow().filter(pk=item.pk).exists()
    with time_machine.travel(item.due_at + datetime.timedelta(microseconds=1), tick=False):
        assert _counted_and_listed(w.secretary_a, w.community_a, "overdue") == (1, 1)
        assert not LedgerItem.objects.yellow().filter(pk=item.pk).exists()


def test_child_ranking_of_the_township(history, ledger_world):
    w = ledger_world
    ranking = figures.child_ranking(w.township_a, *OCTOBER, now=NOW)
    assert [(r["name"], r["rank"], r["collected"]) for r in ranking] == [
        ("花园社区", 1, 6),
        ("鹏泉社区", 2, 2),
    ]
    garden = ranking[0]
    assert garden["score"] == 77.5  # 30 × 5/6 + 35 × 3/6 + 35 × 2/2
    assert garden["avg_handling_workdays"] == 6.0
    assert ranking[1]["score"] == 15.0
    assert not any(r["laggard"] for r in ranking)  # two units: nobody is singled out
    township = figures.ledger_figures(w.township_a, *OCTOBER, now=NOW)
    assert township["collected"] - sum(r["collected"] for r in ranking) == 1  # A9


def test_the_district_ranks_townships_and_departments(client, history, ledger_world):
    w = ledger_world
    ranking = figures.child_ranking(w.district, *OCTOBER, now=NOW)
    assert {r["name"]: r["collected"] for r in ranking} == {"凤城街道": 9, "牛泉镇": 1}
    departments = figures.department_ranking(w.district, *OCTOBER, now=NOW)
    assert [(r["name"], r["collected"]) for r in departments] == [("区住建局", 1)]
    client.force_login(w.district_admin)
    with time_machine.travel(NOW, tick=False):
        body = client.get(reverse("ledger:figures"), {"period": "last_month"}).content.decode()
    ranking, departments = body.split('data-testid="ranking"')[1].split(
        'data-testid="department-ranking"'
    )
    assert f"?unit={w.township_a.pk}&amp;" in ranking and "凤城街道" in ranking
    assert "区住建局" in departments and "?unit=" not in departments


def test_ties_share_a_rank_and_keep_the_order_of_names(ledger_world):
    w = ledger_world
    township = make_unit(w.district, Unit.Kind.STREET, "张家洼街道")
    east, west, south, north, _quiet = (
        make_unit(township, Unit.Kind.COMMUNITY, name)
        for name in ("东社区", "西社区", "南社区", "北社区", "静社区")
    )
    for unit in (east, west, south, north):
        item = receive(w, unit, 10, 12, category=w.category)
        if unit is not north:
            step(item, (10, 12, 10), services.item_accept, actor=w.district_admin)
        if unit is south:
            step(item, (10, 13), services.item_resolve, actor=w.district_admin, result="已办结")
    ranking = figures.child_ranking(township, *OCTOBER, now=NOW)
    assert [(r["name"], r["rank"], r["laggard"]) for r in ranking] == [
        ("南社区", 1, False),
        ("东社区", 2, False),
        ("西社区", 2, False),
        ("北社区", 4, True),
        ("静社区", None, False),
    ]
    assert ranking[1]["score"] == ranking[2]["score"] == round(100 * 30 / 65, 2)
    assert ranking[3]["score"] == 0


def test_figures_cost_a_fixed_number_of_queries(history, ledger_world, django_assert_num_queries):
    w = ledger_world
    # Counts, resolved items per day of receipt and per day of resolution, 2026's calendar.
    with django_assert_num_queries(4):
        figures.ledger_figures(w.township_a, *OCTOBER, now=NOW)
    # The same plus the child units.
    with django_assert_num_queries(5):
        figures.child_ranking(w.township_a, *OCTOBER, now=NOW)


def _page_queries(client, unit):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("ledger:figures"), {"unit": unit.pk, "period": "last_month"})
    assert response.status_code == 200
    return len(queries)


def test_the_figures_page_has_a_pinned_query_count(client, history, ledger_world):
    w = ledger_world
    client.force_login(w.district_admin)
    with time_machine.travel(NOW, tick=False):
        before = _page_queries(client, w.district)
        for n in range(30):
            unit = (w.grid_a, w.community_a2, w.community_b)[n % 3]
            item = receive(w, unit, 10, 26 + n % 5, title=f"诉求{n}")
            services.item_accept(item=item, actor=w.district_admin)
            if n % 2:
                services.item_resolve(item=item, actor=w.district_admin, result="已办")
        after = _page_queries(client, w.district)
    assert after == before
    # Session, account, roles, header (2), the unit; the district's figures, the townships'
    # and the departments' (4 each, with the child units); the 2026 calendar.
    assert after == 18


def test_the_figures_page(client, history, ledger_world):
    w = ledger_world
    client.force_login(w.staff_a)
    with time_machine.travel(NOW, tick=False):
        response = client.get(
            reverse("ledger:figures"),
            {"unit": w.township_a.pk, "start": "2026-10-01", "end": "2026-10-31"},
        )
    assert response.status_code == 200
    assert response.context["period"] == figures.Period(
        "custom", datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)
    )
    body = response.content.decode()
    assert 'data-figure="collected">9<' in body
    assert "55" in body.split('data-testid="score"')[1][:20]
    assert [r["name"] for r in response.context["ranking"]] == ["花园社区", "鹏泉社区"]
    assert response.context["own_items"] == 1


def test_period_presets():
    today = datetime.date(2026, 11, 18)  # a Wednesday
    week = figures.period("week", today)
    assert (week.start, week.end) == (datetime.date(2026, 11, 16), datetime.date(2026, 11, 23))
    month = figures.period("month", today)
    assert (month.start, month.last) == (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
    last = figures.period("last_month", datetime.date(2026, 1, 5))
    assert (last.start, last.end) == (datetime.date(2025, 12, 1), datetime.date(2026, 1, 1))
    quarter = figures.period("quarter", today)
    assert (quarter.start, quarter.end) == (datetime.date(2026, 10, 1), datetime.date(2027, 1, 1))
    year = figures.period("year", today)
    assert (year.start, year.last) == (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    custom = figures.period("custom", today, datetime.date(2026, 3, 9), datetime.date(2026, 3, 2))
    assert (custom.start, custom.last) == (datetime.date(2026, 3, 2), datetime.date(2026, 3, 9))


def test_the_ranking_export(client, history, ledger_world):
    w = ledger_world
    client.force_login(w.staff_a)
    with time_machine.travel(NOW, tick=False):
        response = client.get(
            reverse("ledger:figures-export"),
            {"unit": w.township_a.pk, "start": "2026-10-01", "end": "2026-10-31"},
        )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "凤城街道" in rows[0][0]
    header = rows[1]
    score, response_rate = len(header) - 2, 2 + len(RANKING_COLUMNS)
    total, first, second = rows[2:5]
    assert total[2] == 9 and total[score] == 55
    assert (first[0], first[1], first[2]) == (1, "花园社区", 6)
    assert first[response_rate] == "83.3%"
    assert (second[0], second[1]) == (2, "鹏泉社区")
    assert second[score - 1] is None  # nothing resolved: no average handling time
    export = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert export.actor == w.staff_a and export.unit == w.township_a and export.row_count == 3


def test_figures_scope(client, history, ledger_world):
    w = ledger_world
    url = reverse("ledger:figures")
    client.force_login(w.secretary_b)
    assert client.get(url, {"unit": w.community_a.pk}).status_code == 404
    assert (
        client.get(reverse("ledger:figures-export"), {"unit": w.community_a.pk}).status_code == 404
    )
    assert client.get(url, {"unit": w.community_b.pk}).status_code == 200
    client.force_login(w.staff_a)
    assert client.get(url, {"unit": w.township_b.pk}).status_code == 404
    # A unit that is not an id: the user's own unit, and a message saying so.
    response = client.get(url, {"unit": "x"})
    assert response.status_code == 200 and response.context["unit"] == w.township_a
    assert "“x”" in " ".join(str(m) for m in response.context["messages"])
    client.force_login(w.worker_a)  # a grid worker does not read figures
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url)["Location"].startswith(reverse("login"))


def test_the_ranking_export_writes_unit_names_as_text(client, history, ledger_world):
    tricky = '=HYPERLINK("http://evil.example/","花园社区")'
    Unit.objects.filter(name="花园社区").update(name=tricky)
    client.force_login(ledger_world.staff_a)
    with time_machine.travel(NOW, tick=False):
        response = client.get(
            reverse("ledger:figures-export"),
            {"unit": ledger_world.township_a.pk, "start": "2026-10-01", "end": "2026-10-31"},
        )
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = {row[1].value: row[1].data_type for row in sheet.iter_rows(min_row=3)}
    assert names[tricky] == "s"
