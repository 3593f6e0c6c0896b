"""Services of the collective economy: money, roll-up, bands, measures, scope."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from economy import figures, services
from economy.models import (
    FundingSource,
    IncomeMeasure,
    MeasureStatus,
    Milestone,
    Project,
    ProjectStatus,
)
from economy.tests.conftest import YEAR

pytestmark = pytest.mark.django_db


# Money -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        ("3020", services.WAN, Decimal("30200000.00")),
        ("0.35", services.WAN, Decimal("3500.00")),
        (0.1, 1, Decimal("0.10")),
        (12.34, 1, Decimal("12.34")),
        (1234567, 1, Decimal("1234567.00")),
        (" 88.5元 ", 1, Decimal("88.50")),
        ("12.5万元", services.WAN, Decimal("125000.00")),
        ("", 1, Decimal("0.00")),
        (None, 1, Decimal("0.00")),
    ],
)
def test_amounts_are_exact_decimals(value, unit, expected):
    amount = services.to_money(value, unit=unit)
    assert amount == expected
    assert isinstance(amount, Decimal)


@pytest.mark.parametrize("value", ["abc", "1,2,3", "1,000", "1.2.3", "-5", "12.345", "nan", True])
def test_non_numbers_are_refused(value):
    with pytest.raises(ValidationError):
        services.to_money(value)


def test_wan_in_sums_stays_exact():
    # 0.1 + 0.2 in float is 0.30000000000000004; Decimal yuan never drifts.
    parts = [services.to_money(v, unit=services.WAN) for v in ("0.0001", "0.0002")]
    assert sum(parts) == Decimal("3.00")
    assert services.to_wan(Decimal("30200000.00")) == Decimal("3020")


# Roll-up ---------------------------------------------------------------------------------------


def test_progress_rolls_up_with_weights(eco):
    p = eco.project_a
    build = services.milestone_add(actor=None, project=p, name="建设", weight=Decimal("3"))
    services.milestone_add(actor=None, project=p, name="验收", weight=Decimal("1"))
    walls = services.milestone_add(
        actor=None, project=p, name="主体", weight=Decimal("2"), parent=build
    )
    roof = services.milestone_add(
        actor=None, project=p, name="屋面", weight=Decimal("1"), parent=build
    )
    project = services.milestone_record(actor=None, milestone=walls, progress=Decimal("100"))
    # 建设 = (2×100 + 1×0)/3 = 66.67; project = (3×66.666… + 1×0)/4 = 50.00
    assert Milestone.objects.get(pk=build.pk).progress == Decimal("66.67")
    assert project.progress == Decimal("50.00")
    assert project.status == ProjectStatus.IN_PROGRESS
    project = services.milestone_record(actor=None, milestone=roof, progress=Decimal("50"))
    # 建设 = (200 + 50)/3 = 83.333…; project = 3×83.333…/4 = 62.50 exactly
    assert project.progress == Decimal("62.50")
    assert Project.objects.get(pk=p.pk).progress == Decimal("62.50")


def test_all_done_completes_the_project_and_reopening_moves_it_back(eco):
    p = eco.project_a
    a = services.milestone_add(actor=None, project=p, name="立项", weight=Decimal("0.5"))
    b = services.milestone_add(actor=None, project=p, name="建设", weight=Decimal("2.5"))
    services.milestone_record(actor=None, milestone=a, progress=Decimal("100"), on=eco.today)
    project = services.milestone_record(
        actor=None, milestone=b, progress=Decimal("100"), on=eco.today
    )
    assert project.progress == Decimal("100.00")
    assert project.status == ProjectStatus.COMPLETED
    assert Milestone.objects.get(pk=b.pk).done_on == eco.today
    project = services.milestone_record(actor=None, milestone=b, progress=Decimal("30"))
    assert project.status == ProjectStatus.IN_PROGRESS
    assert project.progress == Decimal("41.67")  # (0.5×100 + 2.5×30)/3 = 41.666…


def test_a_parent_is_not_recorded_directly(eco):
    parent = services.milestone_add(actor=None, project=eco.project_a, name="建设")
    services.milestone_add(actor=None, project=eco.project_a, name="主体", parent=parent)
    with pytest.raises(ValidationError):
        services.milestone_record(actor=None, milestone=parent, progress=Decimal("100"))


def test_progress_outside_0_100_is_refused(eco):
    m = services.milestone_add(actor=None, project=eco.project_a, name="建设")
    with pytest.raises(ValidationError):
        services.milestone_record(actor=None, milestone=m, progress=Decimal("120"))


def test_suspended_project_refuses_progress_and_cannot_be_completed_early(eco):
    m = services.milestone_add(actor=None, project=eco.project_a, name="建设")
    with pytest.raises(ValidationError):
        services.project_set_status(
            actor=None, project=eco.project_a, status=ProjectStatus.COMPLETED
        )
    services.project_set_status(actor=None, project=eco.project_a, status=ProjectStatus.SUSPENDED)
    with pytest.raises(ValidationError):
        services.milestone_record(actor=None, milestone=m, progress=Decimal("100"))


@pytest.mark.django_db(transaction=True)
def test_concurrent_records_both_count(world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    project = services.project_create(
        actor=None, owner_unit=world.township_a, name="并发", year=YEAR
    )
    a = services.milestone_add(actor=None, project=project, name="一")
    b = services.milestone_add(actor=None, project=project, name="二")
    errors = []

    def record(m):
        try:
            services.milestone_record(actor=None, milestone=m, progress=Decimal("100"))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(m,)) for m in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert Project.objects.get(pk=project.pk).progress == Decimal("100.00")


# Bands -----------------------------------------------------------------------------------------


def test_band_bounds_lower_inclusive_upper_exclusive(eco):
    low, mid, _high, top = eco.bands
    assert services.band_for(eco.bands, Decimal("99999.99")) == low
    assert services.band_for(eco.bands, Decimal("100000.00")) == mid
    assert services.band_for(eco.bands, Decimal("25000000")) == top


def test_overlapping_bands_are_refused(eco):
    with pytest.raises(ValidationError):
        services.band_save(
            actor=None,
            district=eco.district,
            name="重叠",
            lower=Decimal("50000"),
            upper=Decimal("150000"),
        )


def test_band_movement_across_years(eco):
    a, b = eco.village_a, eco.community_a
    services.income_record(actor=None, village=a, year=YEAR - 1, operating_income=Decimal("80000"))
    services.income_record(
        actor=None, village=a, year=YEAR, operating_income=Decimal("120000")
    )  # up
    services.income_record(actor=None, village=b, year=YEAR - 1, operating_income=Decimal("600000"))
    services.income_record(
        actor=None, village=b, year=YEAR, operating_income=Decimal("450000")
    )  # down
    services.income_record(
        actor=None, village=eco.community_a2, year=YEAR, operating_income=Decimal("1")
    )
    result = figures.figures(eco.township_a, YEAR)
    assert result.moves == {"up": 1, "same": 0, "down": 1, "new": 1}
    assert result.villages == 3
    assert dict((band.name, n) for band, n in result.bands) == {
        "10万元以下": 1,
        "10-50万元": 2,
        "50-100万元": 0,
        "100万元以上": 0,
    }
    assert result.income_total == Decimal("570001.00")
    rows = figures.filter_rows(figures.village_rows(eco.township_a, YEAR), move="up")
    assert [r.village.pk for r in rows] == [a.pk]
    last_year = figures.figures(eco.township_a, YEAR - 1)
    assert last_year.no_record == 1 and last_year.moves["new"] == 2


def test_income_sources_must_add_up(eco):
    with pytest.raises(ValidationError):
        services.income_record(
            actor=None,
            village=eco.village_a,
            year=YEAR,
            operating_income=Decimal("100000"),
            asset_income=Decimal("60000"),
            service_income=Decimal("30000"),
        )
    income = services.income_record(
        actor=None,
        village=eco.village_a,
        year=YEAR,
        operating_income=Decimal("100000"),
        asset_income=Decimal("70000"),
        service_income=Decimal("30000"),
    )
    assert income.sources_total == income.operating_income


def test_income_only_for_villages(eco):
    with pytest.raises(ValidationError):
        services.income_record(
            actor=None, village=eco.township_a, year=YEAR, operating_income=Decimal(1)
        )


# Measures --------------------------------------------------------------------------------------


def test_measure_late_and_transitions(eco):
    m = services.measure_create(
        actor=None,
        village=eco.village_a,
        title="闲置校舍出租",
        owner_name="王建国",
        target_amount=Decimal("50000"),
        deadline=datetime.date(YEAR, 5, 31),
    )
    assert m.is_late(eco.today)
    assert list(IncomeMeasure.objects.late(eco.today)) == [m]
    services.measure_set_status(actor=None, measure=m, status=MeasureStatus.DONE, on=eco.today)
    m.refresh_from_db()
    assert m.done_on == eco.today and not m.is_late(eco.today)
    with pytest.raises(ValidationError):
        services.measure_set_status(actor=None, measure=m, status=MeasureStatus.CANCELLED)


# Funding and figures ---------------------------------------------------------------------------


def test_funding_by_source_per_unit(eco):
    district = figures.figures(eco.district, YEAR)
    assert {k: t for k, _l, t in district.funding} == {
        "higher_level": Decimal("3500000.00"),
        "village": Decimal("1000000.00"),
    }
    assert district.funding_total == Decimal("4500000.00")
    township = figures.figures(eco.township_a, YEAR)
    assert township.funding_total == Decimal("3000000.00")
    services.funding_set(actor=None, project=eco.project_a, kind="village", amount=Decimal(0))
    assert not FundingSource.objects.filter(project=eco.project_a, kind="village").exists()


# Scope -----------------------------------------------------------------------------------------


def test_township_sees_its_projects_and_district_projects_in_its_villages(eco):
    district_project = services.project_create(
        actor=None, owner_unit=eco.district, name="区级项目", year=YEAR, villages=[eco.community_b]
    )
    services.project_create(actor=None, owner_unit=eco.district, name="区级无村项目", year=YEAR)
    a = set(Project.objects.for_user(eco.staff_a))
    b = set(Project.objects.for_user(eco.staff_b))
    assert a == {eco.project_a}
    assert b == {eco.project_b, district_project}
    assert Project.objects.for_user(eco.district_admin).count() == 4
    assert not Project.objects.for_user(eco.other_admin).exists()
    assert Project.objects.for_user(eco.staff_b).count() == 2  # no duplicate rows


def test_pairings_cover_villages_and_enterprises(eco):
    steel = services.enterprise_create(actor=None, unit=eco.district, name="泰钢集团")
    farm = services.enterprise_create(actor=None, unit=eco.township_a, name="凤城农业公司")
    since = datetime.date(YEAR - 1, 3, 1)
    services.pairing_create(actor=None, village=eco.village_a, enterprise=steel, since=since)
    services.pairing_create(actor=None, village=eco.village_a, enterprise=farm, since=since)
    services.pairing_create(actor=None, village=eco.community_a, enterprise=steel, since=since)
    with pytest.raises(ValidationError):
        services.pairing_create(actor=None, village=eco.community_a, enterprise=steel, since=since)
    result = figures.figures(eco.township_a, YEAR)
    assert (result.pairings, result.paired_villages, result.paired_enterprises) == (3, 2, 2)
    assert figures.figures(eco.township_a, YEAR - 2).pairings == 0


def test_shares_cannot_exceed_100_percent(eco):
    company = services.company_create(
        actor=None,
        township=eco.township_a,
        name="凤城共富公司",
        registered_capital=Decimal("5000000"),
    )
    services.shareholding_set(
        actor=None,
        company=company,
        village=eco.village_a,
        capital=Decimal("3000000"),
        share=Decimal("60"),
    )
    with pytest.raises(ValidationError):
        services.shareholding_set(
            actor=None,
            company=company,
            village=eco.community_a,
            capital=Decimal("3000000"),
            share=Decimal("41"),
        )
    with pytest.raises(ValidationError):
        services.company_year_record(
            actor=None,
            company=company,
            year=YEAR,
            revenue=Decimal(1),
            profit=Decimal(1),
            dividends={eco.community_a.pk: Decimal(1)},
        )
