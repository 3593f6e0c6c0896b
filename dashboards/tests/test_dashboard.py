"""The dashboard page, the big screen, the export, snapshots and scope, on hand-built data.

Most tests here read the ledger section only (`ledger_only`): the other sections have their
own tests (test_section_*.py); `test_all_sections_*` render everything together."""

import datetime
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

import dashboards.sections
from dashboards import compute, snapshots
from dashboards.models import Snapshot
from dashboards.tasks import refresh_snapshots
from governance import access, periods
from governance.ledger import services
from governance.ledger.figures import ledger_figures
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
from governance.periods import Period
from governance.testing import frozen, moment

pytestmark = pytest.mark.django_db

# Monday 19 October 2026, 10:00 (Asia/Shanghai).
NOW = moment(2026, 10, 19, 10)
OCTOBER = Period("month", datetime.date(2026, 10, 1), datetime.date(2026, 11, 1))


@pytest.fixture
def ledger_only(monkeypatch):
    monkeypatch.setattr(dashboards.sections, "MODULES", ("ledger",))


@pytest.fixture
def frozen_now():
    with frozen(NOW):
        yield


def _ledger(unit):
    ledger = Ledger.objects.filter(unit=unit).first()
    return ledger or Ledger.objects.create(
        unit=unit, name=f"{unit.name}台账", kind=LedgerKind.GRID_PROBLEM, prefix=f"T{unit.pk}"
    )


def receive(w, unit, when, actor=None, category=None):
    with frozen(when):
        return services.item_create(
            ledger=_ledger(unit),
            title="楼道漏水",
            unit=unit,
            actor=actor or w.district_admin,
            source=Source.RECEPTION_DAY,
            category=category or w.category,
            received_at=when,
        )


@pytest.fixture
def items(ledger_world):
    """October: community A 4 items (one resolved, two overdue now), community B 1 item, the
    township A itself 1 item; September (the previous period): community A 2 items."""
    w = ledger_world
    resolved = receive(w, w.community_a, moment(2026, 10, 9, 9))
    with frozen(moment(2026, 10, 12, 9)):
        services.item_accept(item=LedgerItem.objects.get(pk=resolved.pk), actor=w.district_admin)
        services.item_resolve(
            item=LedgerItem.objects.get(pk=resolved.pk), actor=w.district_admin, result="已修复"
        )
    for day in (15, 16):  # gas leaks, 4 hours to handle: overdue on the 19th
        receive(w, w.community_a, moment(2026, 10, day, 9), category=w.urgent)
    receive(w, w.community_a, moment(2026, 10, 16, 10))
    receive(w, w.community_b, moment(2026, 10, 14, 9))
    receive(w, w.township_a, moment(2026, 10, 15, 9))
    receive(w, w.community_a, moment(2026, 9, 7, 9))
    receive(w, w.community_a, moment(2026, 9, 8, 9))
    return w


def _rows_on_list(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return response.context["page"].paginator.count


#: The count each dashboard figure drills down to (for a rate, its numerator).
LISTED = {
    "collected": "collected",
    "resolved": "resolved",
    "overdue": "overdue",
    "response_rate": "responded_on_time",
    "resolution_rate": "resolved",
    "satisfaction_rate": "content",
}


def _called_back(item, satisfaction, actor):
    item = services.item_verify(item=item, actor=actor, passed=True)
    services.item_record_satisfaction(item=item, actor=actor, satisfaction=satisfaction)


def _rated_and_resolved(w):
    """To `items` add call-backs and resolutions, so that every count the ledger section
    drills down to differs from the others: a link to the wrong list cannot pass."""
    actor = w.district_admin
    with frozen(moment(2026, 10, 13, 9)):
        _called_back(
            LedgerItem.objects.get(unit=w.community_a, status=Status.RESOLVED),
            Satisfaction.BASIC,
            actor,
        )
    unhappy = receive(w, w.community_b, moment(2026, 10, 13, 10))
    resolved = [receive(w, w.community_b, moment(2026, 10, 14, 10)) for _ in range(2)]
    with frozen(moment(2026, 10, 14, 11)):
        for item in (unhappy, *resolved):
            item = services.item_accept(item=LedgerItem.objects.get(pk=item.pk), actor=actor)
            services.item_resolve(item=item, actor=actor, result="已修复")
    with frozen(moment(2026, 10, 15, 9)):
        # Unsatisfied: reopened with a new deadline, rated but not content, not resolved.
        _called_back(LedgerItem.objects.get(pk=unhappy.pk), Satisfaction.UNSATISFIED, actor)
    with frozen(moment(2026, 10, 16, 11)):  # acknowledged in time, still open
        services.item_accept(
            item=LedgerItem.objects.get(unit=w.community_a, received_at=moment(2026, 10, 16, 10)),
            actor=actor,
        )


def test_every_ledger_number_equals_its_drilldown_list(items, ledger_only, frozen_now, client):
    w = items
    _rated_and_resolved(w)
    counted = ledger_figures(w.district, OCTOBER.start, OCTOBER.end)
    assert [counted[name] for name in (*dict.fromkeys(LISTED.values()), "rated")] == [
        9,  # collected
        3,  # resolved
        2,  # overdue
        4,  # responded_on_time
        1,  # content
        2,  # rated
    ]
    ledger = compute.build(w.district, OCTOBER)["sections"]["ledger"]
    client.force_login(w.district_admin)
    by_name = {row["name"]: row for row in ledger["children"]}
    assert set(by_name) == {"凤城街道", "牛泉镇"}
    rows = [(w.district, ledger), *((Unit.objects.get(name=n), r) for n, r in by_name.items())]
    for unit, row in rows:
        assert set(row["links"]) == set(LISTED), unit.name
        expected = ledger_figures(unit, OCTOBER.start, OCTOBER.end)
        for key, listed in LISTED.items():
            assert _rows_on_list(client, row["links"][key]) == expected[listed], (unit.name, key)
            assert row["values"][key] == expected[key], (unit.name, key)
    assert by_name["凤城街道"]["values"]["collected"] == 5  # its own item included
    # Attention: every open item past its deadline whenever received (September's two
    # included), and those late by over 7 days; none is 30 days late: empty rows are left out.
    attention = ledger["attention"]
    assert [row["count"] for row in attention] == [4, 2]
    for row in attention:
        assert _rows_on_list(client, row["url"]) == row["count"]


def test_overdue_by_age_counts_equal_their_lists(items, ledger_only, client):
    w = items
    later = timezone.make_aware(datetime.datetime(2026, 11, 6, 10))
    with frozen(later):
        data = compute.build(w.district, OCTOBER)
        client.force_login(w.district_admin)
        for row in data["sections"]["ledger"]["attention"]:
            assert row["count"] > 0
            assert _rows_on_list(client, row["url"]) == row["count"], row["label"]
    labels = [row["count"] for row in data["sections"]["ledger"]["attention"]]
    assert labels[0] >= labels[-1]


def test_the_previous_period_is_compared(items, ledger_only, frozen_now):
    data = compute.build(items.district, OCTOBER)
    ledger = data["sections"]["ledger"]
    # October is still running on the 19th: compared with 1–19 September (同期).
    assert data["previous"] == {"start": "2026-09-01", "end": "2026-09-20", "to_date": True}
    assert ledger["previous"]["collected"] == 2
    assert ledger["previous"]["resolved"] == 0


def test_a_finished_period_is_compared_with_the_whole_previous_one(items, ledger_only):
    later = timezone.make_aware(datetime.datetime(2026, 11, 3, 10))
    with frozen(later):
        data = compute.build(items.district, OCTOBER)
    assert data["previous"] == {"start": "2026-09-01", "end": "2026-10-01", "to_date": False}
    assert data["sections"]["ledger"]["previous"]["collected"] == 2
    # One more September item, received after the 19th, counts for the whole month only.
    receive(items, items.community_a, moment(2026, 9, 25, 9))
    with frozen(later):
        assert (
            compute.build(items.district, OCTOBER)["sections"]["ledger"]["previous"]["collected"]
            == 3
        )
    with frozen(NOW):
        assert (
            compute.build(items.district, OCTOBER)["sections"]["ledger"]["previous"]["collected"]
            == 2
        )


def test_periods_and_their_previous_ones():
    today = datetime.date(2026, 12, 3)  # a Thursday
    week = periods.period("week", today)
    assert (week.start, week.end) == (datetime.date(2026, 11, 30), datetime.date(2026, 12, 7))
    assert periods.previous(week).start == datetime.date(2026, 11, 23)
    quarter = periods.period("quarter", today)
    assert periods.previous(quarter) == Period(
        "quarter", datetime.date(2026, 7, 1), datetime.date(2026, 10, 1)
    )
    year = periods.period("year", today)
    assert periods.previous(year).start == datetime.date(2025, 1, 1)
    last_month = periods.period("last_month", today)
    assert periods.previous(last_month) == Period(
        "last_month", datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)
    )
    # Still running: the same days of the period before (3 days of December, of November).
    month = periods.period("month", today)
    assert periods.previous(month, today) == Period(
        "month", datetime.date(2026, 11, 1), datetime.date(2026, 11, 4)
    )
    assert periods.previous(week, today).end == datetime.date(2026, 11, 27)
    # On the last day of a long month, all of the shorter one before it.
    assert periods.previous(
        periods.period("month", datetime.date(2026, 12, 31)), datetime.date(2026, 12, 31)
    ) == Period("month", datetime.date(2026, 11, 1), datetime.date(2026, 12, 1))
    assert periods.previous(last_month, today).end == datetime.date(2026, 11, 1)  # finished
    custom = periods.period("custom", today, datetime.date(2026, 3, 10), datetime.date(2026, 3, 1))
    assert (custom.start, custom.last) == (datetime.date(2026, 3, 1), datetime.date(2026, 3, 10))
    before = periods.previous(custom)
    assert (before.start, before.last) == (datetime.date(2026, 2, 19), datetime.date(2026, 2, 28))


def test_ranking_marks_the_bottom_fifth_as_laggards():
    rows = [
        {"unit_id": n, "name": f"u{n}", "values": {"rate": value, "overdue": 10 - n}}
        for n, value in enumerate([0.9, 0.8, 0.5, 0.95, None, 0.5])
    ]
    ranked = compute.rank(rows, "rate", lower_is_better=False)
    assert [r["unit_id"] for r in ranked] == [3, 0, 1, 2, 5, 4]
    assert [r["rank"] for r in ranked] == [1, 2, 3, 4, 4, None]
    # 5 ranked → one laggard; the tie at 0.5 makes both laggards.
    assert [r["laggard"] for r in ranked] == [False, False, False, True, True, False]
    worst_first = compute.rank(rows, "overdue", lower_is_better=True)
    assert worst_first[0]["unit_id"] == 5 and worst_first[-1]["laggard"]


def test_a_leader_switches_to_a_township_and_back(items, ledger_only, frozen_now, client):
    w = items
    client.force_login(w.leader)
    response = client.get(reverse("dashboards:dashboard"))
    assert response.status_code == 200
    assert response.context["unit"] == w.district
    assert [c["name"] for c in response.context["children"]] == ["凤城街道", "牛泉镇"]
    response = client.get(reverse("dashboards:dashboard"), {"unit": w.township_a.pk})
    assert response.context["unit"] == w.township_a
    html = response.content.decode()
    assert "莱芜区" in html  # the breadcrumb back up
    (ledger,) = [s for s in response.context["sections"] if s["key"] == "ledger"]
    overdue = next(c for c in ledger["cards"] if c["key"] == "overdue")
    assert overdue["value"] == "2"
    assert f'href="{overdue["url"]}"'.replace("&", "&amp;") in html


def test_other_townships_and_districts_are_404(items, ledger_only, frozen_now, client):
    w = items
    client.force_login(w.staff_b)
    url = reverse("dashboards:dashboard")
    assert client.get(url, {"unit": w.township_b.pk}).status_code == 200
    for name in ("dashboards:dashboard", "dashboards:screen", "dashboards:export"):
        assert client.get(reverse(name), {"unit": w.township_a.pk}).status_code == 404
        assert client.get(reverse(name), {"unit": w.community_a.pk}).status_code == 404
        assert client.get(reverse(name), {"unit": w.district.pk}).status_code == 404
        # Not an id: the user's own township, with a message (governance.params).
        assert client.get(reverse(name), {"unit": "x"}).status_code == 200
    refresh = reverse("dashboards:refresh") + f"?unit={w.township_a.pk}"
    assert client.post(refresh).status_code == 404
    client.force_login(w.other_admin)
    assert client.get(url, {"unit": w.district.pk}).status_code == 404


def test_drilling_into_another_township_shows_none_of_its_items(items, ledger_only, client):
    w = items
    data = compute.build(w.township_a, OCTOBER)
    client.force_login(w.staff_b)
    for link in data["sections"]["ledger"]["links"].values():
        assert client.get(link).status_code == 404
    for row in data["sections"]["ledger"]["children"]:
        assert client.get(row["links"]["overdue"]).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(client, world):
    for name in ("dashboards:dashboard", "dashboards:screen", "dashboards:export"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(reverse("dashboards:refresh")).status_code == 302


def test_a_bad_custom_range_gets_a_message(items, ledger_only, frozen_now, client):
    client.force_login(items.leader)
    response = client.get(
        reverse("dashboards:dashboard"), {"period": "custom", "start": "2026-10-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["period"].kind == "month"  # falls back to this month


def test_snapshots_serve_the_district_and_townships(items, ledger_only, frozen_now, client):
    w = items
    result = refresh_snapshots()
    # 莱芜区 and its 2 townships, 政和县 and its street: 5 units × 5 periods.
    assert result["snapshots"] == 25
    assert Snapshot.objects.count() == 25
    period = periods.period("month", NOW.date())
    data, from_snapshot = snapshots.dashboard(w.district, period)
    assert from_snapshot and data["sections"]["ledger"]["values"]["collected"] == 6
    # A new item shows once the snapshot is recomputed, and the page says when that was.
    receive(w, w.community_b, moment(2026, 10, 19, 8))
    assert (
        snapshots.dashboard(w.district, period)[0]["sections"]["ledger"]["values"]["collected"] == 6
    )
    client.force_login(w.leader)
    response = client.post(reverse("dashboards:refresh") + f"?unit={w.district.pk}&period=month")
    assert response.status_code == 302
    assert (
        snapshots.dashboard(w.district, period)[0]["sections"]["ledger"]["values"]["collected"] == 7
    )
    page = client.get(response["Location"])
    assert page.context["from_snapshot"] and not page.context["stale"]
    # Villages and communities are computed on the spot, never stored.
    assert snapshots.dashboard(w.community_a, period)[1] is False
    assert Snapshot.objects.count() == 25


def test_a_custom_range_is_stored_and_reused_for_five_minutes(items, ledger_only):
    w = items
    custom = periods.period("custom", NOW.date(), datetime.date(2026, 10, 1), NOW.date())
    with frozen(NOW):
        data, stored = snapshots.dashboard(w.district, custom)
    assert stored and data["sections"]["ledger"]["values"]["collected"] == 6
    receive(w, w.community_b, moment(2026, 10, 19, 8))
    with frozen(NOW + datetime.timedelta(minutes=4)):
        data = snapshots.dashboard(w.district, custom)[0]
    assert data["sections"]["ledger"]["values"]["collected"] == 6  # reused
    with frozen(NOW + datetime.timedelta(minutes=6)):
        data = snapshots.dashboard(w.district, custom)[0]
    assert data["sections"]["ledger"]["values"]["collected"] == 7  # recomputed
    assert Snapshot.objects.filter(preset="custom").count() == 1
    # The refresh leaves it for a day, then drops it.
    with frozen(NOW + datetime.timedelta(hours=1)):
        refresh_snapshots()
    assert Snapshot.objects.filter(preset="custom").exists()
    with frozen(NOW + datetime.timedelta(days=1, hours=1)):
        refresh_snapshots()
    assert not Snapshot.objects.filter(preset="custom").exists()


def test_refresh_drops_the_snapshots_of_past_periods(items, ledger_only):
    with frozen(moment(2026, 9, 30, 9)):
        refresh_snapshots()
    with frozen(NOW):
        refresh_snapshots()
    assert set(Snapshot.objects.values_list("start", flat=True)) == {
        periods.period(name, NOW.date()).start for name in periods.PRESETS
    }


def test_refresh_computes_outside_any_transaction_and_writes_once(items, ledger_only, monkeypatch):
    depth = len(connection.atomic_blocks)  # the test's own transaction
    real_build, real_store = compute.build, snapshots.store
    builds, stores = [], []
    monkeypatch.setattr(
        compute, "build", lambda *a: builds.append(len(connection.atomic_blocks)) or real_build(*a)
    )
    monkeypatch.setattr(
        snapshots,
        "store",
        lambda *a: stores.append(connection.atomic_blocks[-1]) or real_store(*a),
    )
    with frozen(NOW):
        refresh_snapshots()
    assert builds and set(builds) == {depth}, "figures computed inside a transaction"
    assert len(stores) == len(builds), "a snapshot not stored"
    assert all(block is stores[0] for block in stores), "snapshots not written in one transaction"


def test_sqlite_uses_wal_a_busy_timeout_and_immediate_transactions():
    from django.conf import settings

    options = settings.DATABASES["default"]["OPTIONS"]
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite only")
    assert "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] >= 10 and options["transaction_mode"] == "IMMEDIATE"


def test_a_refresh_already_running_makes_the_next_tick_skip(items, ledger_only):
    from django.core.cache import cache

    cache.add("dashboards:refresh", 1, timeout=60)
    try:
        assert refresh_snapshots() == {"skipped": True}
    finally:
        cache.delete("dashboards:refresh")
    assert not Snapshot.objects.exists()


def test_export_holds_every_table(items, ledger_only, frozen_now, client):
    w = items
    client.force_login(w.leader)
    response = client.get(reverse("dashboards:export"), {"unit": w.district.pk, "period": "month"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    figures, ranking, attention = book.worksheets
    rows = list(figures.iter_rows(values_only=True))
    collected = next(r for r in rows if r[1] == "收集")
    assert collected[2] == 6 and collected[3] == 2
    ranked = list(ranking.iter_rows(values_only=True))
    assert [r[1] for r in ranked[1:]] == ["凤城街道", "牛泉镇"] or {r[1] for r in ranked[1:]} == {
        "凤城街道",
        "牛泉镇",
    }
    assert list(attention.iter_rows(values_only=True))[1][2] == 4
    assert AuditEvent.objects.filter(actor=w.leader, action="export", unit=w.district).exists()


def test_export_needs_the_export_capability(items, ledger_only, frozen_now, client, monkeypatch):
    """Every role that sees figures may export them today, as with every other export; a role
    that may see the figures but not export them (here: the leader without "export") gets the
    dashboard and a 403 for its export."""
    monkeypatch.setitem(access.CAPABILITIES, "leader", frozenset({"view_figures"}))
    client.force_login(items.leader)
    params = {"unit": items.district.pk}
    assert client.get(reverse("dashboards:dashboard"), params).status_code == 200
    assert client.get(reverse("dashboards:export"), params).status_code == 403
    assert not AuditEvent.objects.filter(action="export").exists()


def test_big_screen_refreshes_its_body_with_htmx(items, ledger_only, frozen_now, client):
    client.force_login(items.leader)
    url = reverse("dashboards:screen")
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 60s"' in page and "<html" in page
    assert 'class="screen"' in page
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "screen-grid" in partial
    assert 'id="dashboard-charts"' in partial


def test_the_sort_column_orders_the_ranking(items, ledger_only, frozen_now, client):
    client.force_login(items.leader)
    response = client.get(
        reverse("dashboards:dashboard"), {"unit": items.district.pk, "sort": "ledger.collected"}
    )
    (ledger,) = [s for s in response.context["sections"] if s["key"] == "ledger"]
    assert ledger["ranking"]["sort"] == "collected"
    assert [r["name"] for r in ledger["ranking"]["rows"]] == ["凤城街道", "牛泉镇"]


#: Queries of the district's dashboard page reading its snapshot: session, user, memberships,
#: the unit, the snapshot, and the page frame's unread count and person (the breadcrumb of a
#: district has no ancestors to read).
PINNED_STORED = 7
#: Queries of the page computing every section for a community (each section's fixed count).
PINNED_LIVE = 55


def _page_queries(client, unit) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("dashboards:dashboard"), {"unit": unit.pk})
    assert response.status_code == 200
    return len(captured)


def test_a_stored_dashboard_costs_a_fixed_number_of_queries(items, frozen_now, client):
    """Every section: the page reads the snapshot whatever the data size."""
    w = items
    client.force_login(w.leader)
    _page_queries(client, w.district)  # computes and stores the snapshot
    before = _page_queries(client, w.district)
    for day in range(5, 10):
        receive(w, w.community_b, moment(2026, 10, day, 9))
    snapshots.recompute(w.district, periods.period("month", NOW.date()))
    assert _page_queries(client, w.district) == before == PINNED_STORED


def test_a_live_dashboard_costs_a_fixed_number_of_queries(items, frozen_now, client):
    """Every section computed on the spot for a community: more rows, more grids, same count."""
    from governance.models import Unit
    from governance.tests.factories import make_unit

    w = items
    client.force_login(w.leader)
    before = _page_queries(client, w.community_a)
    make_unit(w.community_a, Unit.Kind.GRID, "花园第三网格")
    for day in range(5, 10):
        receive(w, w.grid_a2, moment(2026, 10, day, 9))
    assert _page_queries(client, w.community_a) == before == PINNED_LIVE


def test_links_of_the_page_keep_the_period(items, ledger_only, frozen_now, client):
    client.force_login(items.leader)
    response = client.get(
        reverse("dashboards:dashboard"),
        {"unit": items.district.pk, "period": "custom", "start": "2026-10-01", "end": "2026-10-31"},
    )
    (ledger,) = [s for s in response.context["sections"] if s["key"] == "ledger"]
    link = next(c["url"] for c in ledger["cards"] if c["key"] == "collected")
    query = parse_qs(urlsplit(link).query)
    assert query["received_from"] == ["2026-10-01"] and query["received_to"] == ["2026-10-31"]
    assert "start=2026-10-01" in response.context["query"]


def test_changes_against_the_previous_period():
    from dashboards import present
    from dashboards.sections.base import RATE, Figure

    count = Figure("collected", "收集")
    overdue = Figure("overdue", "超期", lower_is_better=True)
    rate = Figure("rate", "解决率", kind=RATE)
    assert present.change(30, 20, count) == {"text": "+50%", "direction": "good", "previous": "20"}
    assert present.change(3, 2, overdue)["direction"] == "bad"
    assert present.change(0.8, 0.75, rate)["text"] == "+5.0 个百分点"
    assert present.change(3, 0, count)["text"] == "+3"  # nothing before: the difference
    assert present.change(0, 0, count)["direction"] == "same"
    assert present.change(None, 2, count) is None
    assert present.change(5, 2, Figure("behind", "滞后", current=True)) is None


def test_only_rates_and_less_is_better_figures_mark_units_behind(items, ledger_only, frozen_now):
    from dashboards import present

    data = compute.build(items.district, OCTOBER)
    (ledger,) = present.sections(data)
    # Two townships only: nobody is behind (three are needed); add the ranks of a third.
    ledger["result"]["children"].append(
        {
            "unit_id": 0,
            "name": "第三镇",
            "values": {k: 0 for k in ledger["result"]["values"]},
            "links": {},
        }
    )
    ledger["result"]["children"][-1]["values"]["resolution_rate"] = 0.0
    table = present.ranking(ledger, "collected")
    columns = [c["key"] for c in table["columns"]]
    third = next(r for r in table["rows"] if r["name"] == "第三镇")
    behind = {columns[i] for i, cell in enumerate(third["cells"]) if cell["laggard"]}
    assert "collected" not in behind and "resolved" not in behind  # counts: size, not merit
    assert "resolution_rate" in behind


def test_the_home_page_shows_this_months_key_figures(items, frozen_now, client):
    w = items
    client.force_login(w.leader)
    home = client.get(reverse("governance:home"))
    (panel,) = [p for p in home.context["panels"] if p["template"].startswith("dashboards/")]
    # No snapshot yet (just after start): computed once and stored, never an empty card.
    assert panel["unit"] == w.district
    values = {card["key"]: card["value"] for card in panel["cards"]}
    assert values["collected"] == "6" and values["overdue"] == "2"
    month = periods.period("month", NOW.date())
    assert snapshots.stored(w.district, month) is not None
    # The two overdue counts on one home page say which is which.
    assert "超期（本月登记的事项）" in home.content.decode()
    assert f"?unit={w.district.pk}" in home.content.decode()
    client.force_login(w.worker_a)  # a grid worker has no figures to see
    home = client.get(reverse("governance:home"))
    assert not [p for p in home.context["panels"] if p["template"].startswith("dashboards/")]


def _dashboard_panel(client):
    home = client.get(reverse("governance:home"))
    (panel,) = [p for p in home.context["panels"] if p["template"].startswith("dashboards/")]
    return panel, home.content.decode()


def test_community_and_department_homes_compute_this_month_live(
    items, frozen_now, client, django_assert_max_num_queries
):
    from dashboards import home

    w = items
    with frozen(moment(2026, 10, 17, 9)):
        services.item_hand_over(
            item=LedgerItem.objects.filter(unit=w.community_a).first(),
            actor=w.district_admin,
            department=w.department,
            note="转住建局",
        )
    client.force_login(w.secretary_a)
    panel, page = _dashboard_panel(client)
    values = {card["key"]: card["value"] for card in panel["cards"]}
    assert panel["unit"] == w.community_a and values["collected"] == "4"
    assert "超期（全部在办）" in page and "超期（本月登记的事项）" in page
    client.force_login(w.handler)
    panel, _page = _dashboard_panel(client)
    values = {card["key"]: card["value"] for card in panel["cards"]}
    assert panel["unit"] == w.department and values["collected"] == "1"
    assert not snapshots.stored(w.community_a, periods.period("month", NOW.date()))

    # A fixed number of queries, whatever the number of items.
    request = RequestFactory().get("/")

    def queries(user) -> int:
        request.user = user
        access.memberships(user)
        with CaptureQueriesContext(connection) as captured:
            home.panel(request)
        return len(captured)

    before = {user: queries(user) for user in (w.secretary_a, w.handler)}
    for day in range(1, 13):
        receive(w, w.community_a, moment(2026, 10, day, 11))
    for user in (w.secretary_a, w.handler):
        with django_assert_max_num_queries(PANEL_QUERIES):
            assert queries(user) == before[user]


#: What the community's home card costs: every section's fixed queries (a department: fewer).
PANEL_QUERIES = 48


def test_a_department_sees_the_ledger_section_only(items, frozen_now, client):
    w = items
    item = LedgerItem.objects.filter(unit=w.community_a).first()
    with frozen(moment(2026, 10, 17, 9)):
        services.item_hand_over(
            item=item, actor=w.district_admin, department=w.department, note="转住建局"
        )
    client.force_login(w.handler)
    response = client.get(reverse("dashboards:dashboard"))
    assert response.status_code == 200 and response.context["unit"] == w.department
    assert [s["key"] for s in response.context["sections"]] == ["ledger"]
    (ledger,) = response.context["sections"]
    collected = next(c for c in ledger["cards"] if c["key"] == "collected")
    assert collected["value"] == "1"
    assert _rows_on_list(client, collected["url"]) == 1


def test_the_big_screen_ranking_shows_the_leaders_and_every_laggard():
    from dashboards import present

    def table(count, laggards):
        rows = [{"name": f"镇{n}", "laggard": n > count - laggards} for n in range(1, count + 1)]
        return {"rows": rows}

    thirteen = present.screen_ranking(table(13, 3))
    assert [r["name"] for r in thirteen["top"]] == ["镇1", "镇2", "镇3", "镇4", "镇5"]
    assert thirteen["hidden"] == 5
    assert [r["name"] for r in thirteen["bottom"]] == ["镇11", "镇12", "镇13"]
    twenty = present.screen_ranking(table(20, 4))
    assert [r["name"] for r in twenty["bottom"]] == ["镇17", "镇18", "镇19", "镇20"]
    assert twenty["hidden"] == 11
    few = present.screen_ranking(table(11, 5))
    assert len(few["top"]) == 11 and few["hidden"] == 0 and few["bottom"] == []
    many_behind = present.screen_ranking(table(30, 9))  # never more lines than the panel holds
    assert len(many_behind["top"]) + 1 + len(many_behind["bottom"]) == present.SCREEN_ROWS
    assert all(row["laggard"] for row in many_behind["bottom"]) and many_behind["hidden"] == 20
    assert present.screen_ranking(None) is None


def test_the_export_writes_unit_names_as_text(items, ledger_only, frozen_now, client):
    w = items
    tricky = '=HYPERLINK("http://evil.example/","凤城街道")'
    type(w.district).objects.filter(name="凤城街道").update(name=tricky)
    client.force_login(w.leader)
    response = client.get(reverse("dashboards:export"), {"unit": w.district.pk, "period": "month"})
    book = load_workbook(io.BytesIO(response.content))
    cells = [c for sheet in book.worksheets[1:] for row in sheet.iter_rows() for c in row]
    assert [c.data_type for c in cells if c.value == tricky] == ["s"]
