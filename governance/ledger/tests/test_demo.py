import datetime
import io
import itertools
import random
from collections import Counter, defaultdict
from types import SimpleNamespace

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings

from governance.ledger import demo, reminders, reviews, services
from governance.ledger.rules import may
from governance.models import (
    OPEN_STATUSES,
    CategoryTimeLimit,
    EventAction,
    ExtensionRequest,
    ExtensionStatus,
    Ledger,
    LedgerEvent,
    LedgerItem,
    LedgerKind,
    MatterCategory,
    NumberSequence,
    ReviewDecision,
    ReviewMeeting,
    ReviewSchedule,
    Satisfaction,
    Source,
    Status,
    Unit,
)
from governance.testing import moment

# Thursday 26 November 2026, 10:01: the demo's "now" (its year of history ends here).
NOW = moment(2026, 11, 26, 10, 1)
LEDGER_MODELS = (
    MatterCategory,
    CategoryTimeLimit,
    Ledger,
    LedgerItem,
    LedgerEvent,
    ExtensionRequest,
    ReviewMeeting,
    ReviewDecision,
    ReviewSchedule,
    NumberSequence,
)
ACKNOWLEDGING = {"accept", "start", "reply", "hand_over", "resolve", "explain"}


def seed(*args, at=NOW):
    with time_machine.travel(at, tick=False):
        call_command("seed_demo", *args, stdout=io.StringIO())


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, only_seeders):
    """The demo seeded once for the module (each test still runs in its own transaction)."""
    only_seeders("governance", "grids")
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=hashers):
        seed()
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


# The apps above the ledger seed items of their own (contact activities, property complaints,
# requests followed up at a venue) through their own services; this module checks the ledger's
# own demo, so it reads the ledger's sources only.
OTHER_APPS_SOURCES = (Source.CONTACT_ACTIVITY, Source.PROPERTY, Source.WALK_IN)


def ledger_demo_items():
    return LedgerItem.objects.exclude(source__in=OTHER_APPS_SOURCES)


def snapshot() -> dict:
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in LEDGER_MODELS}


def unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def check_histories(items) -> int:
    """Every item's columns agree with its events, as the services would have left them."""
    ids = list(items.values_list("pk", flat=True))
    events = defaultdict(list)
    for e in LedgerEvent.objects.filter(item_id__in=ids).order_by("item_id", "at", "pk").values():
        events[e["item_id"]].append(e)
    extensions = defaultdict(list)
    for x in ExtensionRequest.objects.filter(item_id__in=ids).values():
        extensions[x["item_id"]].append(x)
    decisions = {
        (d.meeting_id, d.item_id)
        for d in ReviewDecision.objects.filter(item_id__in=ids).select_related("meeting")
    }
    checked = 0
    for item in LedgerItem.objects.filter(pk__in=ids):
        ev = events[item.pk]
        actions = [e["action"] for e in ev]
        where = f"{item.number} {actions}"
        assert ev[0]["action"] == "create" and ev[0]["at"] == item.received_at, where
        assert ev[-1]["to_status"] == item.status, where
        assert all(a["at"] <= b["at"] for a, b in itertools.pairwise(ev)), where
        assert ev[-1]["at"] <= NOW, where

        def first(kinds, ev=ev):
            return next((e["at"] for e in ev if e["action"] in kinds), None)

        def last_unless_undone(kind, undone, ev=ev):
            moment = None
            for e in ev:
                if e["action"] == kind:
                    moment = e["at"]
                elif e["action"] in undone:
                    moment = None
            return moment

        assert item.accepted_at == first(ACKNOWLEDGING), where
        assert item.replied_at == first({"reply", "resolve", "explain"}), where
        assert item.resolved_at == last_unless_undone("resolve", {"verify_fail", "reopen"}), where
        assert item.verified_at == last_unless_undone("verify", {"reopen"}), where
        if item.status == Status.CLOSED:
            assert ev[-1]["action"] in ("satisfaction", "explain"), where
            assert item.closed_at == ev[-1]["at"], where
        else:
            assert item.closed_at is None, where
        # A new deadline (approved extension, hand-over, reopening) may be supervised again.
        assert item.supervised_at == last_unless_undone(
            "supervise", {"extension_approve", "hand_over", "reopen"}
        ), where
        handed, department_accepted = None, None
        for e in ev:
            if e["action"] == "hand_over":
                handed, department_accepted = e["at"], None
            elif e["action"] == "accept" and e["from_status"] == Status.HANDED_OVER:
                department_accepted = department_accepted or e["at"]
        assert item.handed_over_at == handed, where
        assert item.department_accepted_at == department_accepted, where
        if item.reviewed_at is not None:
            assert item.reviewed_at in {e["at"] for e in ev if e["action"] == "plan"}, where
        # Each service step raises the version once; reopening writes two events in one step,
        # recording a meeting and supervision (item_supervise) do not change what a form edits.
        assert item.version == len(ev) - sum(
            actions.count(a) for a in ("reopen", "review", "supervise")
        ), where
        if item.yellow_reminded_at is not None:
            assert item.warn_at <= item.yellow_reminded_at <= NOW, where
        for e in ev:
            if e["action"] == "review":
                assert (e["data"]["meeting"], item.pk) in decisions, where
        for x in extensions[item.pk]:
            assert any(
                e["action"] == "extension_request" and e["at"] == x["requested_at"] for e in ev
            ), where
            if x["status"] != ExtensionStatus.PENDING:
                action = f"extension_{'approve' if x['status'] == 'approved' else 'refuse'}"
                assert any(e["action"] == action and e["at"] == x["decided_at"] for e in ev)
        checked += 1
    return checked


@pytest.mark.django_db
def test_a_second_run_changes_nothing(seeded):
    before = snapshot()
    seed(at=NOW + datetime.timedelta(days=3))
    assert snapshot() == before


@pytest.mark.django_db
def test_the_catalogue_routes_matters_to_departments(seeded):
    for district in ("莱芜区", "政和县"):
        categories = MatterCategory.objects.filter(district=unit(district))
        assert 20 <= categories.count() <= 30
        assert categories.filter(limit_unit="hour").count() >= 3
    laiwu = MatterCategory.objects.filter(district=unit("莱芜区"))
    assert laiwu.get(name="房屋漏水").department.name == "区住建局"
    assert laiwu.get(name="路灯不亮").department.name == "区城管局"
    assert laiwu.get(name="就业帮扶").department.name == "区人社局"
    assert laiwu.get(name="政策咨询").department is None
    zhenghe = MatterCategory.objects.filter(district=unit("政和县"))
    assert zhenghe.get(name="道路破损").department.name == "县住建局"
    # Departments get longer for building work.
    leak = CategoryTimeLimit.objects.get(category=laiwu.get(name="房屋漏水"), level="department")
    assert leak.handle_limit > laiwu.get(name="房屋漏水").handle_limit


@pytest.mark.django_db
def test_every_village_community_and_township_keeps_its_ledgers(seeded):
    for village in Unit.objects.of_level(3):
        kinds = set(Ledger.objects.filter(unit=village).values_list("kind", flat=True))
        # Other apps may keep a ledger of kind "general" (e.g. contact activities' problems).
        assert kinds - {LedgerKind.GENERAL} == {
            LedgerKind.RECEPTION_DAY,
            LedgerKind.GRID_PROBLEM,
        }, village
        assert Ledger.objects.get(unit=village, kind=LedgerKind.GRID_PROBLEM).items.exists()
    for township in Unit.objects.of_level(2):
        assert Ledger.objects.filter(unit=township, kind=LedgerKind.HOTLINE).count() == 1
    assert Ledger.objects.get(kind=LedgerKind.RECTIFICATION).unit == unit("莱芜区")


@pytest.mark.django_db
def test_the_rectification_list_has_twenty_problems_with_mechanisms(seeded):
    ledger = Ledger.objects.get(kind=LedgerKind.RECTIFICATION)
    items = LedgerItem.objects.filter(ledger=ledger)
    assert items.count() == 20
    assert len(set(items.values_list("title", flat=True))) == 20
    for item in items:
        assert item.source == Source.RECTIFICATION and item.unit == ledger.unit
        assert item.long_term_mechanism and item.measures and item.due_at
        assert item.responsible_unit.name in {"区委社会工作部", "区委组织部", "区住建局"}
    statuses = Counter(items.values_list("status", flat=True))
    assert statuses[Status.CLOSED] >= 10 and statuses[Status.IN_PROGRESS] >= 2
    assert items.filter(extensions__status=ExtensionStatus.APPROVED).count() == 2
    assert any("编制" in m for m in items.values_list("measures", flat=True))


@pytest.mark.django_db
def test_histories_are_consistent(seeded):
    items = ledger_demo_items()
    assert 400 <= items.count() <= 900
    assert check_histories(items) == items.count()


@pytest.mark.django_db
def test_a_year_of_believable_work(seeded):
    items = ledger_demo_items()
    first = items.order_by("received_at").first().received_at
    assert NOW - first > datetime.timedelta(days=300)
    events = Counter(LedgerEvent.objects.values_list("action", flat=True))
    for action in (
        "reply",
        "plan",
        "review",
        "hand_over",
        "return",
        "resolve",
        "verify",
        "verify_fail",
        "satisfaction",
        "reopen",
        "explain",
        "extension_request",
        "extension_approve",
        "supervise",
    ):
        assert events[action], action
    satisfaction = Counter(items.values_list("satisfaction", flat=True))
    assert satisfaction[Satisfaction.SATISFIED] > satisfaction[Satisfaction.BASIC] > 0
    assert items.filter(status__in=OPEN_STATUSES).count() >= 20
    assert LedgerItem.objects.overdue(NOW).exists()
    assert items.filter(close_reason="explained").exists()
    assert items.filter(reopen_count__gt=0).exists()
    # Most matters were acknowledged in time (the response rate is high but not perfect).
    acknowledged = items.exclude(accepted_at=None)
    in_time = sum(1 for a, d in acknowledged.values_list("accepted_at", "accept_due_at") if a <= d)
    assert 0.8 < in_time / acknowledged.count() < 1
    assert ReviewMeeting.objects.filter(unit=unit("花园社区")).count() >= 10


@pytest.mark.django_db
def test_the_demo_accounts_have_work_waiting(seeded, django_user_model):
    users = {u.username: u for u in django_user_model.objects.all()}
    huayuan, housing = unit("花园社区"), unit("区住建局")
    with time_machine.travel(NOW, tick=False):
        agenda = reviews.weekly_agenda(huayuan, reviews.weekly_since(huayuan, NOW.date()))
        assert agenda.count() >= 4
        waiting = LedgerItem.objects.filter(
            responsible_unit=housing, status=Status.HANDED_OVER, handed_over_from=huayuan
        )
        assert waiting.count() >= 3
        assert all(may(users["zhujianju"], "accept", item) for item in waiting)
        assert set(waiting) <= set(LedgerItem.objects.for_user(users["zhujianju"]))
        pending = ExtensionRequest.objects.filter(status=ExtensionStatus.PENDING)
        deciders = {
            x.item.responsible_unit.name: [
                name for name in users if may(users[name], "extension_decide", x.item)
            ]
            for x in pending
        }
        assert "fengcheng_staff" in deciders["花园社区"]
        assert "laiwu_admin" in deciders["区住建局"]
        mine = LedgerItem.objects.for_user(users["shequ_shuji"])
        assert mine.count() > 40
        assert any(may(users["shequ_shuji"], "verify", i) for i in mine.filter(status="resolved"))
        assert mine.filter(status=Status.VERIFIED).exists()
        assert mine.overdue(NOW).exists()


@pytest.mark.django_db
def test_the_first_sweep_after_seeding_finds_only_what_is_new(seeded):
    """The seeded rows already carry what the sweeps would have done up to now."""
    yellow = (
        ledger_demo_items()
        .open()
        .filter(warn_at__lte=NOW, due_at__gt=NOW, yellow_reminded_at__isnull=True)
    )
    assert not yellow.exists()
    assert ledger_demo_items().open().filter(yellow_reminded_at__isnull=False).exists()
    ours = set(ledger_demo_items().values_list("pk", flat=True))
    events = LedgerEvent.objects.filter(action=EventAction.SUPERVISE, item_id__in=ours)
    supervised = events.count()
    with time_machine.travel(NOW, tick=False):
        assert [r for r in reminders.supervised(NOW.date()) if r.subject_id in ours] == []
    assert events.count() == supervised


@pytest.mark.django_db
def test_new_items_continue_the_numbering(seeded, django_user_model):
    ledger = Ledger.objects.get(unit=unit("花园社区"), kind=LedgerKind.RECEPTION_DAY)
    sequence = NumberSequence.objects.get(prefix="LW", year=2026)
    numbers = LedgerItem.objects.filter(number__startswith="LW-2026-")
    assert sequence.last == max(int(n[-6:]) for n in numbers.values_list("number", flat=True))
    item = services.item_create(
        ledger=ledger,
        title="新诉求",
        unit=ledger.unit,
        actor=django_user_model.objects.get(username="shequ_shuji"),
        received_at=NOW,
    )
    assert item.number == f"LW-2026-{sequence.last + 1:06d}"


@pytest.mark.django_db
def test_district_scale_adds_items_to_the_further_villages_once(seeded, monkeypatch):
    monkeypatch.setattr(demo, "ITEMS_PER_UNIT", 8)
    demo_items = ledger_demo_items().count()
    args = ("--scale", "district", "--villages", "70", "--grids", "200")
    seed(*args)
    further = (
        ledger_demo_items()
        .exclude(ledger__unit__code__in=demo.foundation_codes())
        .exclude(ledger__kind=LedgerKind.RECTIFICATION)
    )
    assert 13 * 8 * 0.6 < further.count() < 13 * 8 * 2
    assert ledger_demo_items().count() == demo_items + further.count()
    assert check_histories(further) == further.count()
    before = snapshot()
    seed(*args, at=NOW + datetime.timedelta(days=1))
    assert snapshot() == before


# --- the story mirrors the services -------------------------------------------------------------


def _normal(value):
    if isinstance(value, str) and len(value) > 18 and value[4] == "-" and "T" in value:
        return datetime.datetime.fromisoformat(value)
    return value


def _events(events):
    return [
        (
            e["action"],
            e["actor_id"],
            e["at"],
            e["from_status"],
            e["to_status"],
            e["note"],
            {k: _normal(v) for k, v in e["data"].items() if k != "meeting"},
        )
        for e in events
    ]


EVENT_KEYS = ("action", "actor_id", "at", "from_status", "to_status", "note", "data")
ITEM_FIELDS = (
    "number",
    "title",
    "description",
    "source",
    "unit_id",
    "category_id",
    "responsible_unit_id",
    "handed_over_from_id",
    "handler_id",
    "resident_name",
    "resident_phone",
    "measures",
    "long_term_mechanism",
    "result",
    "status",
    "close_reason",
    "satisfaction",
    "received_at",
    "accept_due_at",
    "due_at",
    "original_due_at",
    "warn_at",
    "accepted_at",
    "handed_over_at",
    "department_accept_due_at",
    "department_accepted_at",
    "replied_at",
    "resolved_at",
    "verified_at",
    "closed_at",
    "reviewed_at",
    "supervised_at",
    "reopen_count",
    "version",
    "created_by_id",
)
EXTENSION_FIELDS = (
    "requested_by_id",
    "requested_at",
    "reason",
    "previous_due_at",
    "requested_due_at",
    "status",
    "decided_by_id",
    "decided_at",
    "decision_note",
)


def play_services(w, script):
    """The script through the real services, each step at its time."""
    state = {}
    for when, step, kwargs in script:
        with time_machine.travel(when, tick=False):
            item = state.get("item")
            if step == "create":
                state["item"] = services.item_create(received_at=when, **kwargs)
            elif step == "review":
                services.item_plan(item=item, reviewed=True, **kwargs)
            elif step == "record":
                reviews.review_meeting_record(
                    unit=w.community_a,
                    kind="weekly",
                    held_on=when.date(),
                    actor=kwargs["actor"],
                    decisions={item.pk: kwargs["decision"]},
                )
            elif step == "extension_request":
                state["extension"] = services.extension_request(item=item, **kwargs)
            elif step == "extension_decide":
                services.extension_decide(extension=state["extension"], **kwargs)
            else:
                getattr(services, f"item_{step}")(item=item, **kwargs)
    return LedgerItem.objects.get(pk=state["item"].pk)


def play_story(w, script, number):
    units = {u.pk: u for u in Unit.objects.all()}
    world = demo.World(demo.Clock(moment(2026, 12, 31), random.Random(0)), units)
    story, extension = None, None
    for when, step, kwargs in script:
        args = {k: v.pk if hasattr(v, "_meta") and k == "actor" else v for k, v in kwargs.items()}
        actor = args.pop("actor", None)
        if step == "create":
            story = demo.Story(
                world,
                number=number,
                received_at=when,
                actor=actor,
                responsible=args.pop("responsible_unit"),
                **args,
            )
        elif step == "review":
            story.plan(when, actor, args["measures"], args.get("due_on"), reviewed=True)
        elif step == "record":
            continue  # Story.plan(reviewed=True) records the meeting itself
        elif step == "hand_over":
            story.hand_over(when, actor, args["department"], args["note"])
        elif step == "extension_request":
            extension = story.extension_request(when, actor, args["reason"], args["due_on"])
        elif step == "extension_decide":
            story.extension_decide(extension, when, actor, args["approve"], args["note"])
        elif step == "return":
            story.return_(when, actor, args["note"])
        else:
            getattr(story, step)(when, actor, *args.values())
    return story.finish()


def scripts(w):
    created = {
        "ledger": w.ledger,
        "title": "楼道漏水",
        "unit": w.grid_a,
        "actor": w.secretary_a,
        "source": Source.RECEPTION_DAY,
        "category": w.category,
        "responsible_unit": w.community_a,
        "description": "居民反映楼道漏水",
        "resident_name": "李四",
        "resident_phone": "13812341234",
    }
    a = w.secretary_a
    handed = [
        (moment(2026, 11, 2, 9), "create", created),
        (moment(2026, 11, 2, 10), "accept", {"actor": a}),
        (
            moment(2026, 11, 6, 15),
            "review",
            {"actor": a, "measures": "联系物业维修", "due_on": datetime.date(2026, 11, 13)},
        ),
        (moment(2026, 11, 6, 16, 30), "record", {"actor": a, "decision": "联系物业维修"}),
        (
            moment(2026, 11, 9, 10),
            "hand_over",
            {"actor": a, "department": w.department, "note": "转"},
        ),
        (moment(2026, 11, 9, 14), "accept", {"actor": w.handler}),
        (
            moment(2026, 11, 12, 10),
            "extension_request",
            {"actor": w.handler, "reason": "需招标", "due_on": datetime.date(2026, 12, 4)},
        ),
        (
            moment(2026, 11, 13, 10),
            "extension_decide",
            {"actor": w.district_admin, "approve": True, "note": "同意"},
        ),
        (moment(2026, 11, 20, 10), "resolve", {"actor": w.handler, "result": "已维修"}),
        (moment(2026, 11, 23, 10), "verify", {"actor": a, "passed": True, "note": "已核实"}),
        (
            moment(2026, 11, 24, 10),
            "record_satisfaction",
            {"actor": a, "satisfaction": Satisfaction.UNSATISFIED, "note": "仍漏"},
        ),
        (moment(2026, 11, 27, 10), "resolve", {"actor": w.handler, "result": "重新维修"}),
        (moment(2026, 11, 30, 10), "verify", {"actor": a, "passed": True, "note": "已核实"}),
        (
            moment(2026, 12, 1, 10),
            "record_satisfaction",
            {"actor": a, "satisfaction": Satisfaction.SATISFIED, "note": "满意"},
        ),
    ]
    returned = [
        (moment(2026, 11, 2, 9), "create", {**created, "category": None}),
        (moment(2026, 11, 2, 9, 30), "reply", {"actor": a, "reply": "已现场答复"}),
        (
            moment(2026, 11, 3, 10),
            "hand_over",
            {"actor": a, "department": w.department, "note": "转"},
        ),
        (moment(2026, 11, 4, 10), "return", {"actor": w.handler, "note": "不属本部门"}),
        (moment(2026, 11, 5, 10), "resolve", {"actor": a, "result": "已处理"}),
        (moment(2026, 11, 6, 10), "verify", {"actor": a, "passed": False, "note": "仍未解决"}),
        (moment(2026, 11, 9, 10), "close_explained", {"actor": a, "explanation": "属司法程序"}),
    ]
    return {"handed over and reopened": handed, "returned and explained": returned}


@pytest.fixture
def demo_world(seeded, django_user_model):
    """The demo's 花园社区, its secretary, 区住建局 and its handler, as `ledger_world` names."""
    users = {u.username: u for u in django_user_model.objects.all()}
    huayuan = unit("花园社区")
    return SimpleNamespace(
        community_a=huayuan,
        grid_a=Unit.objects.get(parent=huayuan, name="第一网格"),
        ledger=Ledger.objects.get(unit=huayuan, kind=LedgerKind.RECEPTION_DAY),
        category=MatterCategory.objects.get(district=unit("莱芜区"), name="房屋漏水"),
        department=unit("区住建局"),
        secretary_a=users["shequ_shuji"],
        handler=users["zhujianju"],
        district_admin=users["laiwu_admin"],
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["handed over and reopened", "returned and explained"])
def test_a_story_leaves_what_the_services_leave(demo_world, settings, name):
    settings.SHANZHI_ESCALATE_AFTER_WORKDAYS = 100  # the services do not supervise by themselves
    w = demo_world
    script = scripts(w)[name]
    # The Story's step names are the services' without "item_"; two differ.
    story_script = [
        (
            moment,
            {"record_satisfaction": "satisfaction", "close_explained": "explain"}.get(step, step),
            kwargs,
        )
        for moment, step, kwargs in script
    ]
    real = play_services(w, script)
    story = play_story(w, story_script, real.number)
    for field in ITEM_FIELDS:
        assert getattr(story.item, field) == getattr(real, field), field
    real_events = LedgerEvent.objects.filter(item=real).order_by("at", "pk").values()
    story_events = [dict(zip(EVENT_KEYS, e, strict=True)) for e in story.events]
    assert _events(story_events) == _events(real_events)
    real_extensions = list(ExtensionRequest.objects.filter(item=real).order_by("requested_at"))
    assert len(story.extensions) == len(real_extensions)
    for mine, theirs in zip(story.extensions, real_extensions, strict=True):
        for field in EXTENSION_FIELDS:
            assert getattr(mine, field) == getattr(theirs, field), field
