"""Fixtures of the grids tests (the `world` they build on is the root conftest's)."""

import datetime

import pytest
from django.utils import timezone

from governance.models import GridAction, Ledger, LedgerKind, MatterCategory, Role, Unit
from governance.services import unit_update
from governance.testing import frozen, moment
from governance.tests.factories import make_member, make_person, make_unit
from grids.models import CareTag, Household, RoundPolicy, VisitLog
from grids.services.grids import grid_profile_for
from grids.services.households import household_create
from grids.services.visits import visit_file
from grids.services.workers import grid_worker_assign, grid_worker_register, grid_worker_unassign
from grids.tests.factories import make_household


@pytest.fixture
def register(world):
    """Grids with codes (G-A1, G-A2, G-B1) and two care tags of the district."""
    world.grid_a.code = "G-A1"
    world.grid_a.save()
    world.grid_a2.code = "G-A2"
    world.grid_a2.save()
    world.grid_b.code = "G-B1"
    world.grid_b.save()
    world.elderly = CareTag.objects.create(district=world.district, name="独居老人")
    world.veteran = CareTag.objects.create(district=world.district, name="退役军人")
    return world


@pytest.fixture
def admin_world(world):
    """Staff accounts with the grids admin permissions, a household in and out of scope."""
    for user in (world.secretary_a, world.staff_a, world.worker_a):
        user.is_staff = True
        user.save()
    world.secretary_a.user_permissions.set(_permissions("household", "visitlog", "redraw"))
    world.staff_a.user_permissions.set(_permissions("household"))
    world.mine = Household.objects.create(
        grid=world.grid_a, building="1号楼", room="101", head_name="张三丰",
        head_phone="13812345678",
    )  # fmt: skip
    world.theirs = Household.objects.create(grid=world.grid_b, room="1", head_name="王老五")
    return world


def _permissions(*models):
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        content_type__app_label="grids", content_type__model__in=models
    )


@pytest.fixture(scope="module")
def grid_seeders(only_seeders):
    only_seeders("governance", "grids")


@pytest.fixture
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def same_names(world):
    """Two communities of township A, each with a grid called 第一网格."""
    first_a = make_unit(world.community_a, Unit.Kind.GRID, "第一网格")
    first_a2 = make_unit(world.community_a2, Unit.Kind.GRID, "第一网格")
    for grid, room in ((first_a, "1001"), (first_a, "102"), (first_a2, "12"), (first_a, "2")):
        household_create(
            grid=grid, actor=world.staff_a, head_name="张三", building="1号楼", room=room
        )
    for grid, name in ((first_a, "赵一"), (first_a2, "钱二")):
        worker = grid_worker_register(person=make_person(grid, name))
        grid_worker_assign(worker=worker, grid=grid)
    return first_a, first_a2


@pytest.fixture
def grid(world):
    """grid_a with a full-time worker on duty, a former worker, and a household visited."""
    unit_update(unit=world.community_a, phone="0531-76211234", address="凤城街道花园路18号")
    worker = grid_worker_register(
        person=make_person(world.grid_a, "吴桂英", phone="13911112222"),
        public_phone="05317620001",
    )
    grid_worker_assign(worker=worker, grid=world.grid_a, started_on=datetime.date(2025, 1, 1))
    former = grid_worker_register(person=make_person(world.grid_a, "前任甲"))
    assignment = grid_worker_assign(
        worker=former, grid=world.grid_a, started_on=datetime.date(2024, 1, 1)
    )

    grid_worker_unassign(assignment=assignment, ended_on=datetime.date(2024, 12, 31))
    household = Household.objects.create(
        grid=world.grid_a,
        building="3号楼",
        entrance="2单元",
        room="301",
        address="花园社区3号楼2单元301室",
        head_name="贾宝玉",
        head_phone="13677778888",
        head_id_number="11010519491231002X",
        note="独居",
    )
    VisitLog.objects.create(
        household=household,
        grid=world.grid_a,
        worker=world.worker_a,
        observed="家中漏水严重",
        demands="请求维修屋顶",
        visited_at=timezone.now(),
    )
    world.profile = grid_profile_for(world.grid_a)
    world.profile.boundary = "兴丰花园1-6号楼"
    world.profile.save()
    return world


@pytest.fixture
def homes(world):
    """grid_a: 3 households, 2 visited in December (one of them twice) and one in November;
    grid_a2: 2, 1 visited; grid_b: 2, none; plus an inactive visited one in grid_a."""
    w = world
    w.visited_twice = make_household(w.grid_a, "101", visited=moment(2026, 12, 9, 15))
    for day in (3, 9):
        VisitLog.objects.create(
            household=w.visited_twice,
            grid=w.grid_a,
            worker=w.worker_a,
            visited_at=moment(2026, 12, day, 15),
        )
    make_household(w.grid_a, "102", visited=moment(2026, 12, 1, 0, 0))
    w.last_month = make_household(w.grid_a, "201", visited=moment(2026, 11, 30, 23, 59))
    make_household(w.grid_a, "202", visited=moment(2026, 12, 2), is_active=False)
    make_household(w.grid_a2, "101", visited=moment(2026, 12, 4))
    make_household(w.grid_a2, "102")
    make_household(w.grid_b, "101")
    make_household(w.grid_b, "102")
    return w


@pytest.fixture
def drilldown_homes(world):
    """grid_a: one visited on the round's first minute, one on the last of November; grid_a2:
    one visited of three; grid_b: one never visited."""
    w = world
    make_household(w.grid_a, "101", visited=moment(2026, 12, 1, 0, 0))
    make_household(w.grid_a, "102", visited=moment(2026, 11, 30, 23, 59))
    make_household(w.grid_a2, "101", visited=moment(2026, 12, 3))
    make_household(w.grid_a2, "102")
    make_household(w.grid_a2, "103")
    make_household(w.grid_b, "101")
    return w


@pytest.fixture
def rounds(world):
    """A monthly district reminded 5 days before the end (the defaults, set explicitly).

    December 2026: grid_a has 2 of 3 households unvisited, grid_a2 is done, grid_b has 1 of 1.
    """
    w = world
    RoundPolicy.objects.create(district=w.district, months=1, remind_days_before_end=5)
    make_household(w.grid_a, "101", moment(2026, 12, 3))
    make_household(w.grid_a, "102", moment(2026, 11, 20))
    make_household(w.grid_a, "103")
    make_household(w.grid_a, "104", is_active=False)
    make_household(w.grid_a2, "101", moment(2026, 12, 2))
    make_household(w.grid_b, "101")
    w.cadre_a = make_member(w.community_a, Role.VILLAGE_CADRE, "cadre_a")
    return w


@pytest.fixture
def care(rounds):
    w = rounds
    weekly = CareTag.objects.create(district=w.district, name="独居老人", visit_every_days=7)
    w.lonely = make_household(w.grid_a, "301", moment(2026, 12, 1, 10))
    w.lonely.tags.add(weekly)
    w.recent = make_household(w.grid_b, "302", moment(2026, 12, 5, 10))
    w.recent.tags.add(weekly)
    CareTag.objects.create(district=w.district, name="退役军人").households.add(
        make_household(w.grid_a, "303")
    )
    return w


@pytest.fixture
def visit_clock():
    """The visit tests' clock: 18 March 2026, 18:00 in Shanghai, stopped."""
    with frozen(2026, 3, 18, 18):
        yield


@pytest.fixture
def visits_world(ledger_world):
    w = ledger_world
    w.household = make_household(w.grid_a, head_name="李四", head_phone="13812341234")
    w.household_b = make_household(w.grid_b, head_name="李四", head_phone="13812341234")
    w.problem_ledger = Ledger.objects.create(
        unit=w.community_a, name="花园社区网格问题台账", kind=LedgerKind.GRID_PROBLEM, prefix="HY"
    )
    w.handle = MatterCategory.objects.create(
        district=w.district, code="0201", name="楼道堆物", grid_action=GridAction.HANDLE
    )
    w.report = MatterCategory.objects.create(
        district=w.district, code="0202", name="违章搭建", grid_action=GridAction.REPORT
    )
    return w


@pytest.fixture
def sixty_households(visits_world):
    w = visits_world
    for n in range(60):
        household = make_household(w.grid_a, room=f"{n + 1:03d}", building=f"{n % 3 + 1}号楼")
        if n % 2:
            visit_file(
                household=household,
                worker=w.worker_a,
                kind="door",
                all_well=True,
                visited_at=moment(2026, 3, 18, 18) - datetime.timedelta(hours=n),
            )
    return w
