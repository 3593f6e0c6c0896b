"""One place for permissions: every write of economy.services checks its actor, whatever calls
it (a page, an import, a task). Each service is called directly with an actor outside the
record's scope (another district's administrator, who holds every capability there), with
actors inside the scope whose role may not write (the district's leader, a grid worker), and
once with an actor who may."""

import datetime
import inspect
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from economy import services
from economy.models import (
    Enterprise,
    IncomeMeasure,
    Milestone,
    Pairing,
    ProsperityCompany,
    Shareholding,
    VillageModel,
)
from economy.tests.conftest import YEAR

pytestmark = pytest.mark.django_db

SINCE = datetime.date(YEAR - 1, 3, 1)


def _measure(w):
    return IncomeMeasure.objects.create(
        village=w.village_a, title="闲置校舍出租", owner_name="王建国", deadline=w.today
    )


def _milestone(w):
    return Milestone.objects.create(project=w.project_a, name="主体工程")


def _enterprise(w):
    return Enterprise.objects.create(unit=w.township_a, name="泰钢集团")


def _pairing(w):
    return Pairing.objects.create(village=w.village_a, enterprise=_enterprise(w), since=SINCE)


def _company(w):
    return ProsperityCompany.objects.create(township=w.township_a, name="凤城共富公司")


def _holder(w):
    company = _company(w)
    Shareholding.objects.create(
        company=company, village=w.village_a, capital=Decimal("100"), share=Decimal("50")
    )
    return company


#: service name → (who may call it, the call's arguments but the actor).
CASES = {
    "band_save": (
        "district_admin",
        lambda w: {
            "district": w.district,
            "band": w.bands[-1],
            "name": "百万元以上",
            "lower": Decimal("1000000"),
            "upper": None,
        },
    ),
    "band_delete": ("district_admin", lambda w: {"band": w.bands[-1]}),
    "development_model_create": (
        "district_admin",
        lambda w: {"district": w.district, "name": "乡村旅游型"},
    ),
    "income_record": (
        "staff_a",
        lambda w: {"village": w.village_a, "year": YEAR, "operating_income": Decimal("1")},
    ),
    "village_model_add": ("staff_a", lambda w: {"village": w.village_a, "model": w.leasing}),
    "village_model_remove": (
        "staff_a",
        lambda w: {"link": VillageModel.objects.create(village=w.village_a, model=w.leasing)},
    ),
    "measure_create": (
        "staff_a",
        lambda w: {
            "village": w.village_a,
            "title": "光伏发电",
            "owner_name": "王建国",
            "deadline": w.today,
        },
    ),
    "measure_update": ("staff_a", lambda w: {"measure": _measure(w), "note": "已签约"}),
    "measure_set_status": ("staff_a", lambda w: {"measure": _measure(w), "status": "in_progress"}),
    "project_create": (
        "staff_a",
        lambda w: {"owner_unit": w.township_a, "name": "新项目", "year": YEAR},
    ),
    "project_update": ("staff_a", lambda w: {"project": w.project_a, "description": "扩建"}),
    "funding_set": (
        "staff_a",
        lambda w: {"project": w.project_a, "kind": "loan", "amount": Decimal("100")},
    ),
    "milestone_add": ("staff_a", lambda w: {"project": w.project_a, "name": "验收"}),
    "milestone_record": (
        "staff_a",
        lambda w: {"milestone": _milestone(w), "progress": Decimal("50")},
    ),
    "milestone_delete": ("staff_a", lambda w: {"milestone": _milestone(w)}),
    "project_set_status": ("staff_a", lambda w: {"project": w.project_a, "status": "suspended"}),
    "attachment_add": (
        "staff_a",
        lambda w: {
            "project": w.project_a,
            "kind": "document",
            "title": "批复",
            "file": SimpleUploadedFile("pifu.pdf", b"%PDF-1.4"),
        },
    ),
    "enterprise_create": ("staff_a", lambda w: {"unit": w.township_a, "name": "鲁中农业"}),
    "pairing_create": (
        "staff_a",
        lambda w: {"village": w.village_a, "enterprise": _enterprise(w), "since": SINCE},
    ),
    "pairing_agreement_set": ("staff_a", lambda w: {"pairing": _pairing(w), "agreement": "帮扶"}),
    "pairing_end": ("staff_a", lambda w: {"pairing": _pairing(w), "on": w.today}),
    "pairing_result_record": (
        "staff_a",
        lambda w: {"pairing": _pairing(w), "year": YEAR, "jobs": 3},
    ),
    "company_create": ("staff_a", lambda w: {"township": w.township_a, "name": "东关共富公司"}),
    "shareholding_set": (
        "staff_a",
        lambda w: {
            "company": _company(w),
            "village": w.village_a,
            "capital": Decimal("100"),
            "share": Decimal("40"),
        },
    ),
    "company_year_record": (
        "staff_a",
        lambda w: {
            "company": _holder(w),
            "year": YEAR,
            "revenue": Decimal("100"),
            "profit": Decimal("10"),
            "dividends": {w.village_a.pk: Decimal("5")},
        },
    ),
}

REFUSED = ["other_admin", "leader", "worker_a"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_every_write_takes_the_actor_and_is_covered():
    writes = {
        name
        for name, function in inspect.getmembers(services, inspect.isfunction)
        if function.__module__ == services.__name__
        and not name.startswith("_")
        and "actor" in inspect.signature(function).parameters
        and name not in ("may", "project_owners")  # questions, not writes
    }
    assert writes == set(CASES)
    for name in writes:
        parameter = inspect.signature(getattr(services, name)).parameters["actor"]
        assert parameter.default is inspect.Parameter.empty, name  # every caller says who acts


def test_what_takes_no_actor_writes_nothing():
    helpers = {
        name
        for name, function in inspect.getmembers(services, inspect.isfunction)
        if function.__module__ == services.__name__
        and not name.startswith("_")
        and "actor" not in inspect.signature(function).parameters
    }
    assert helpers == {
        "band_for",
        "bands_of",
        "check_village",
        "clean_income",
        "movement",
        "rollup",
        "to_money",
        "to_wan",
    }


@pytest.mark.parametrize("refused", REFUSED)
@pytest.mark.parametrize("name", list(CASES))
def test_the_service_refuses(eco, name, refused):
    _allowed, arguments = CASES[name]
    with pytest.raises(PermissionDenied) as raised:
        getattr(services, name)(actor=getattr(eco, refused), **arguments(eco))
    assert str(raised.value)  # a message the user can read


@pytest.mark.parametrize("name", list(CASES))
def test_the_service_lets_who_may(eco, name):
    allowed, arguments = CASES[name]
    getattr(services, name)(actor=getattr(eco, allowed), **arguments(eco))


def test_a_measure_s_owner_moves_it_along(eco):
    measure = _measure(eco)
    measure.owner = eco.worker_a
    measure.save()
    services.measure_set_status(measure=measure, actor=eco.worker_a, status="in_progress")
    with pytest.raises(PermissionDenied):
        services.measure_update(measure=measure, actor=eco.worker_a, note="x")
