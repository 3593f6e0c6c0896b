import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count, F, Max, Q

from governance.models import LedgerItem, Membership, Role, Source, Unit
from grids import coverage, demo
from grids.models import (
    CareTag,
    GridAssignment,
    GridProfile,
    GridWorker,
    Household,
    RoundPolicy,
    VisitLog,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("grid_seeders", "fast_hashing")]


def seed(*args):
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    models = [*apps.get_app_config("grids").get_models(), LedgerItem, Membership]
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in models}


def assert_consistent():
    # last_visited_at is the latest visit of each household.
    latest = dict(
        VisitLog.objects.values("household")
        .annotate(m=Max("visited_at"))
        .values_list("household", "m")
    )
    for pk, last in Household.objects.values_list("pk", "last_visited_at"):
        assert last == latest.get(pk), pk
    # Every household is in an active grid; every visit in its household's grid.
    assert not Household.objects.exclude(grid__kind=Unit.Kind.GRID, grid__is_active=True).exists()
    assert not VisitLog.objects.exclude(grid=F("household__grid")).exists()


def test_demo_grids_households_and_visits_once():
    first = seed()
    assert "网格演示数据" in first

    laiwu = Unit.objects.get(code="370116")
    grids = Unit.objects.filter(kind=Unit.Kind.GRID)
    assert RoundPolicy.objects.filter(months=1).count() == 2
    assert set(CareTag.objects.filter(district=laiwu).values_list("name", "visit_every_days")) == {
        ("独居老人", 7),
        ("残疾人", 14),
        ("低保户", 30),
        ("留守儿童", 14),
        ("退役军人", None),
        ("重病患者", 7),
    }
    assert GridProfile.objects.count() == grids.count()
    assert GridProfile.objects.filter(kind="dedicated").exclude(dedicated_to="").count() >= 2
    # Every grid has a worker on duty; wanggeyuan is the worker of her grid.
    assert GridAssignment.objects.filter(ended_on=None).values("grid").distinct().count() == (
        grids.count()
    )
    home = Unit.objects.get(name="第一网格", parent__name="花园社区")
    worker = GridWorker.objects.get(person__user__username="wanggeyuan")
    assert worker.assignments.get().grid == home
    assert (
        Membership.objects.filter(
            user__username="wanggeyuan", unit=home, role=Role.GRID_WORKER, ended_on=None
        ).count()
        == 1
    )

    sizes = Household.objects.values("grid").annotate(n=Count("pk"))
    assert len(sizes) == grids.count()
    assert all(30 <= row["n"] <= 60 for row in sizes)
    tagged = Household.objects.filter(tags__isnull=False).distinct().count()
    assert 0.05 < tagged / Household.objects.count() < 0.16
    assert_consistent()

    # wanggeyuan's grid is partly covered this round; the district mostly.
    rnd = coverage.current_round(home)
    figures = coverage.unit_coverage(home, rnd)
    assert 0 < figures["visited"] < figures["households"]
    assert VisitLog.objects.filter(grid=home, worker__username="wanggeyuan").exists()
    assert coverage.unit_coverage(laiwu, rnd)["visited"] > 0
    assert {s for s in VisitLog.objects.values_list("review_status", flat=True).distinct()} == {
        "pending",
        "approved",
        "rejected",
        "on_hold",
    }

    # A few visits raised ledger items, linked both ways, in the grid problem ledger.
    raised = VisitLog.objects.exclude(ledger_item=None).select_related("ledger_item__ledger")
    assert 2 <= raised.count() <= 60
    for visit in raised:
        item = visit.ledger_item
        assert item.ledger.kind == "grid_problem" and item.source == Source.GRID_VISIT
        assert item.unit_id == visit.grid_id and item.source_id == visit.pk
        assert item.ledger.unit_id == visit.grid.parent_id
    assert raised.filter(grid=home).exists()

    before = snapshot()
    second = seed()
    assert snapshot() == before
    assert "网格演示数据" not in second


def test_district_scale_on_a_reduced_size(monkeypatch):
    monkeypatch.setattr(demo, "RURAL_GRID", (3, 6))
    monkeypatch.setattr(demo, "DISTRICT_HOUSEHOLDS", 6000)
    monkeypatch.setattr(demo, "DISTRICT_ROUNDS", 2)
    seed("--scale", "district", "--villages", "100", "--grids", "300")

    laiwu = Unit.objects.get(code="370116")
    grids = Unit.objects.within(laiwu).filter(kind=Unit.Kind.GRID)
    assert grids.count() == 300
    assert not grids.filter(households=None).exists()
    urban = Household.objects.filter(grid__parent__kind=Unit.Kind.COMMUNITY)
    rural = Household.objects.filter(grid__parent__kind=Unit.Kind.VILLAGE)
    assert urban.exists() and rural.exists()
    assert GridProfile.objects.count() == Unit.objects.filter(kind=Unit.Kind.GRID).count()
    assert GridAssignment.objects.filter(ended_on=None).count() == GridWorker.objects.count()
    assert_consistent()
    assert VisitLog.objects.filter(visited_at__lt=coverage.current_round(laiwu).start_at).exists()

    before = snapshot()
    seed("--scale", "district", "--villages", "100", "--grids", "300")
    assert snapshot() == before


def test_visit_times_stay_in_the_window_and_before_now():
    seed()
    laiwu = Unit.objects.get(code="370116")
    rnd = coverage.current_round(laiwu)
    oldest = VisitLog.objects.order_by("visited_at").first().visited_at
    assert oldest >= coverage.round_for(1, (rnd.start - demo.DAY * 40).replace(day=1)).start_at
    assert not VisitLog.objects.filter(Q(filed_at__lt=F("visited_at"))).exists()
