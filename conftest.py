import datetime
import os
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

# Tests run against a development configuration whatever the shell says about DEBUG.
os.environ.setdefault("SHANZHI_PRODUCTION", "0")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytest_plugins = ["outreach.tests.fixtures"]  # the outreach worlds, also used by dashboards/tests
SHANGHAI = ZoneInfo("Asia/Shanghai")  # settings.TIME_ZONE
_CLOCK = pytest.StashKey[time_machine.travel]()


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        default=os.environ.get("SHANZHI_TEST_CLOCK") or None,
        metavar="YYYY-MM-DDTHH:MM",
        help="Move the clock to this moment (Asia/Shanghai unless an offset is given) for the "
        "whole run: every test, the demo seeding and the live server's thread; it ticks on from "
        "there. Default: $SHANZHI_TEST_CLOCK, else the real clock.",
    )


def pytest_configure(config):
    value = config.getoption("clock")
    if not value:
        return
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(
            f"--clock: {value!r} is not a date-time like 2027-01-04T09:00"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SHANGHAI)
    # time-machine patches the clock of the whole process (every thread), not just one test;
    # tests that travel further nest inside this.
    config.stash[_CLOCK] = time_machine.travel(moment, tick=True)
    config.stash[_CLOCK].start()


def pytest_unconfigure(config):
    if _CLOCK in config.stash:
        config.stash[_CLOCK].stop()


def pytest_report_header(config):
    if _CLOCK in config.stash:
        return f"clock moved to {datetime.datetime.now(SHANGHAI).isoformat(timespec='minutes')}"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    """Two districts; in the first, two townships each with a community, grids and people.

    Every role of the foundation has an account here; `*_b` accounts sit in township B, so
    what A's people can open and B's cannot is the scope matrix.
    """
    from governance.models import Role, Unit
    from governance.tests.factories import make_member, make_person, make_unit

    w = SimpleNamespace()
    w.district = make_unit(None, Unit.Kind.DISTRICT, "莱芜区", code="370116")
    w.other_district = make_unit(None, Unit.Kind.DISTRICT, "政和县", code="350725")
    w.township_a = make_unit(w.district, Unit.Kind.STREET, "凤城街道")
    w.township_b = make_unit(w.district, Unit.Kind.TOWNSHIP, "牛泉镇")
    w.community_a = make_unit(w.township_a, Unit.Kind.COMMUNITY, "花园社区")
    w.community_a2 = make_unit(w.township_a, Unit.Kind.COMMUNITY, "鹏泉社区")
    w.community_b = make_unit(w.township_b, Unit.Kind.VILLAGE, "牛泉村")
    w.grid_a = make_unit(w.community_a, Unit.Kind.GRID, "花园第一网格")
    w.grid_a2 = make_unit(w.community_a, Unit.Kind.GRID, "花园第二网格")
    w.grid_b = make_unit(w.community_b, Unit.Kind.GRID, "牛泉第一网格")
    w.department = make_unit(w.district, Unit.Kind.DEPARTMENT, "区住建局")
    w.other_township = make_unit(w.other_district, Unit.Kind.STREET, "熊山街道")

    w.district_admin = make_member(w.district, Role.DISTRICT_ADMIN, "d_admin")
    w.leader = make_member(w.district, Role.LEADER, "leader")
    w.staff_a = make_member(w.township_a, Role.TOWNSHIP_STAFF, "staff_a")
    w.staff_b = make_member(w.township_b, Role.TOWNSHIP_STAFF, "staff_b")
    w.secretary_a = make_member(w.community_a, Role.COMMUNITY_SECRETARY, "shuji_a")
    w.secretary_b = make_member(w.community_b, Role.COMMUNITY_SECRETARY, "shuji_b")
    w.worker_a = make_member(w.grid_a, Role.GRID_WORKER, "wgy_a")
    w.worker_b = make_member(w.grid_b, Role.GRID_WORKER, "wgy_b")
    w.handler = make_member(w.department, Role.DEPARTMENT_HANDLER, "zjj")
    w.other_admin = make_member(w.other_district, Role.DISTRICT_ADMIN, "zh_admin")

    w.resident_a = make_person(
        w.grid_a, "李四", phone="13812341234", id_number="11010519491231002X"
    )
    w.resident_b = make_person(w.grid_b, "王五", phone="13900001111")
    return w


@pytest.fixture
def ledger_world(world):
    """`world` plus the 2026 holiday calendar, a matters catalogue and a reception-day ledger."""
    from governance.models import Ledger, LedgerKind, MatterCategory
    from governance.workdays import load_from_library

    load_from_library([2026])
    world.category = MatterCategory.objects.create(
        district=world.district,
        code="0101",
        name="房屋漏水",
        department=world.department,
        accept_limit=1,
        handle_limit=10,
    )
    world.urgent = MatterCategory.objects.create(
        district=world.district,
        code="0102",
        name="燃气泄漏",
        accept_limit=1,
        handle_limit=4,
        limit_unit="hour",
    )
    world.ledger = Ledger.objects.create(
        unit=world.community_a,
        name="花园社区书记接待日诉求台账",
        kind=LedgerKind.RECEPTION_DAY,
        prefix="LW",
    )
    world.ledger_b = Ledger.objects.create(
        unit=world.community_b,
        name="牛泉村网格问题台账",
        kind=LedgerKind.GRID_PROBLEM,
        prefix="NQ",
    )
    return world


@pytest.fixture(scope="module")
def only_seeders():
    """Keep, for one test module, the demo seeders of the given apps only.

    Seeding every app's demo takes minutes; a module that checks one app's demo seeds that
    app and what it stands on. Each app's own demo tests cover the rest.
    """
    from governance.registry import registry

    saved = list(registry.demo_seeders)

    def keep(*apps: str) -> None:
        registry.demo_seeders[:] = [s for s in saved if s.__module__.split(".")[0] in apps]

    yield keep
    registry.demo_seeders[:] = saved
