"""One place for permissions: every public service of teams, called directly (as an import, an
admin action or a task would), refuses an actor outside the row's scope and an actor whose role
may not do it, and does it for an actor who may.

The rows sit in 凤城街道 (township A) of 莱芜区. Outside: staff of 牛泉镇 (township B), or the
administrator of another district for what belongs to the district. Under-privileged: the
district's leader (figures only, no manage_people), or, where the level above must act (scores,
quotas, model communities), the community's own secretary or the township's own staff.
"""

import datetime
import importlib
import inspect
import pkgutil
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

import teams.services
from governance.tests.factories import make_person
from teams.models import (
    GigWorker,
    JobPosting,
    ProjectIdea,
    QuotaKind,
    Ranking,
    RankingEntry,
    ScoreCriterion,
    Secondment,
    StaffingQuota,
    Talent,
    TalentRequest,
    Topic,
    TrainingSession,
)
from teams.services.assessments import ranking_publish
from teams.services.brands import brand_save
from teams.services.employment import gig_register, match_create, posting_save
from teams.services.reserve import reserve_add, reserve_remove
from teams.services.salons import idea_create, salon_save
from teams.services.secondments import secondment_save
from teams.services.staffing import quota_set
from teams.services.talent import talent_register, talent_request_create
from teams.services.training import training_create
from teams.services.workers import worker_create

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 2)


def _session(w):
    return training_create(
        actor=w.district_admin,
        unit=w.township_a,
        title="党务培训",
        topic=Topic.PARTY_AFFAIRS,
        held_on=DAY,
    )


def _worker(w):
    return w.workers_a[0]


def _cadre(w):
    return reserve_add(
        actor=w.district_admin,
        village=w.community_a,
        person=make_person(w.community_a, "后备甲"),
        education="bachelor",
        source="graduate",
        added_on=DAY,
    )


def _ranking(w, entries=True):
    ranking = Ranking.objects.create(unit=w.township_a, year=2026, half=1)
    if entries:
        RankingEntry.objects.create(
            ranking=ranking, worker=_worker(w), score=Decimal(90), rank=1, months_scored=1
        )
    return ranking


def _published(w):
    ranking = _ranking(w)
    ranking_publish(actor=w.district_admin, ranking=ranking)
    return ranking


def _secondment(w):
    return secondment_save(
        actor=w.district_admin,
        worker=_worker(w),
        to_office="区委办",
        started_on=DAY,
        planned_end_on=DAY,
    )


def _quota(w):
    return quota_set(
        actor=w.district_admin,
        township=w.township_a,
        kind=QuotaKind.ADMINISTRATIVE,
        allocated=10,
        filled=5,
    )


def _brand(w):
    return brand_save(
        actor=w.district_admin, community=w.community_a, name="红色家园", theme="elderly", year=2026
    )


def _talent(w):
    return talent_register(
        actor=w.district_admin,
        unit=w.township_a,
        person=make_person(w.community_a, "人才"),
        category="graduate",
        registered_on=DAY,
    )


def _request(w):
    return talent_request_create(
        actor=w.district_admin, talent=_talent(w), kind="housing", submitted_on=DAY
    )


def _salon(w):
    return salon_save(
        actor=w.district_admin, unit=w.township_a, kind="salon", title="人才沙龙", held_on=DAY
    )


def _idea(w):
    return idea_create(actor=w.district_admin, salon=_salon(w), title="白茶民宿")


def _gig(w, name="零工"):
    return gig_register(
        actor=w.district_admin,
        unit=w.township_a,
        person=make_person(w.community_a, name),
        registered_on=DAY,
    )


def _posting(w):
    return posting_save(
        actor=w.district_admin,
        unit=w.township_a,
        employer="茶企",
        title="采茶工",
        positions=3,
        posted_on=DAY,
    )


def _placement(w):
    return match_create(actor=w.district_admin, posting=_posting(w), worker=_gig(w), on=DAY)


def _sheet(w):
    criteria = ScoreCriterion.objects.filter(district=w.district)
    return [
        {
            "worker": _worker(w),
            "version": None,
            "points": {c.pk: Decimal(30) for c in criteria},
        }
    ]


@dataclass
class Case:
    #: The service's keyword arguments but the actor (receives `teams_world`).
    kwargs: object
    #: Attributes of `teams_world`: an actor outside the scope, an actor whose role may not do
    #: it (though in scope), and one who may.
    outside: str = "staff_b"
    under: str = "leader"
    allowed: str = "district_admin"


CASES = {
    "policy_update": Case(
        lambda w: {
            "district": w.district,
            "reserve_minimum": 3,
            "secondment_max_months": 6,
            "score_due_day": 10,
        },
        outside="other_admin",
        under="staff_a",
    ),
    "criterion_save": Case(
        lambda w: {"district": w.district, "name": "服务态度", "max_points": Decimal(10)},
        outside="other_admin",
        under="staff_a",
    ),
    "training_create": Case(
        lambda w: {
            "unit": w.township_a,
            "title": "党务培训",
            "topic": Topic.PARTY_AFFAIRS,
            "held_on": DAY,
        },
        allowed="staff_a",
    ),
    "training_update": Case(
        lambda w: {"session": _session(w), "title": "新标题"}, allowed="staff_a"
    ),
    "attendance_add": Case(
        lambda w: {"session": _session(w), "people": [make_person(w.community_a, "学员")]},
        allowed="staff_a",
    ),
    "attendance_remove": Case(
        lambda w: {"session": _session(w), "person_id": _worker(w).person_id}, allowed="staff_a"
    ),
    "leader_save": Case(
        lambda w: {
            "village": w.community_a,
            "person": make_person(w.community_a, "书记"),
            "post": "secretary",
            "term_start": DAY,
        },
        allowed="secretary_a",
    ),
    "reserve_add": Case(
        lambda w: {
            "village": w.community_a,
            "person": make_person(w.community_a, "后备乙"),
            "education": "bachelor",
            "source": "graduate",
            "added_on": DAY,
        },
        outside="secretary_b",
        allowed="secretary_a",
    ),
    "reserve_remove": Case(lambda w: {"cadre": _cadre(w), "on": DAY}, allowed="staff_a"),
    "worker_to_reserve": Case(
        lambda w: {"worker": _worker(w), "education": "bachelor", "on": DAY}, allowed="staff_a"
    ),
    "worker_create": Case(
        lambda w: {
            "person": make_person(w.community_a, "新社工"),
            "community": w.community_a,
            "started_on": DAY,
        },
        allowed="secretary_a",
    ),
    "worker_update": Case(lambda w: {"worker": _worker(w), "post": "主任"}, allowed="staff_a"),
    # Scores are given by the level above the community, not by the community itself.
    "scores_save": Case(
        lambda w: {"community": w.community_a, "month": DAY, "rows": _sheet(w), "today": DAY},
        under="secretary_a",
        allowed="staff_a",
    ),
    "quarters_rebuild": Case(
        lambda w: {"workers": [_worker(w)], "year": 2026, "quarter": 1, "today": DAY},
        under="secretary_a",
        allowed="staff_a",
    ),
    "ranking_refresh": Case(
        lambda w: {"township": w.township_a, "year": 2026, "half": 1, "today": DAY},
        allowed="staff_a",
    ),
    "ranking_publish": Case(lambda w: {"ranking": _ranking(w)}, allowed="staff_a"),
    "ranking_unpublish": Case(
        lambda w: {"ranking": _published(w), "today": DAY}, allowed="staff_a"
    ),
    "secondment_save": Case(
        lambda w: {
            "worker": _worker(w),
            "to_office": "区委办",
            "started_on": DAY,
            "planned_end_on": DAY,
        },
        allowed="secretary_a",
    ),
    # A township does not set or raise its own quota: the district does.
    "quota_set": Case(
        lambda w: {
            "township": w.township_a,
            "kind": QuotaKind.ADMINISTRATIVE,
            "allocated": 10,
            "filled": 5,
        },
        under="staff_a",
    ),
    "quota_add": Case(
        lambda w: {"quota": _quota(w), "posts": 2, "approved_on": DAY}, under="staff_a"
    ),
    "brand_save": Case(
        lambda w: {
            "community": w.community_a,
            "name": "红色家园",
            "theme": "elderly",
            "year": 2026,
        },
        allowed="secretary_a",
    ),
    "brand_photo_add": Case(
        lambda w: {"brand": _brand(w), "image": "teams/brands/p.gif"}, allowed="secretary_a"
    ),
    "model_community_add": Case(
        lambda w: {"community": w.community_a, "year": 2026},
        under="secretary_a",
        allowed="staff_a",
    ),
    "talent_register": Case(
        lambda w: {
            "unit": w.township_a,
            "person": make_person(w.community_a, "人才乙"),
            "category": "graduate",
            "registered_on": DAY,
        },
        allowed="staff_a",
    ),
    "talent_request_create": Case(
        lambda w: {"talent": _talent(w), "kind": "housing", "submitted_on": DAY},
        allowed="staff_a",
    ),
    "talent_request_transition": Case(
        lambda w: {"request": _request(w), "to": TalentRequest.Status.REVIEWING, "on": DAY},
        allowed="staff_a",
    ),
    "salon_save": Case(
        lambda w: {"unit": w.township_a, "kind": "salon", "title": "夜话", "held_on": DAY},
        allowed="staff_a",
    ),
    "idea_create": Case(lambda w: {"salon": _salon(w), "title": "民宿"}, allowed="staff_a"),
    "idea_follow_up": Case(
        lambda w: {"idea": _idea(w), "status": ProjectIdea.Status.FOLLOWING, "note": "对接"},
        allowed="staff_a",
    ),
    "gig_register": Case(
        lambda w: {
            "unit": w.township_a,
            "person": make_person(w.community_a, "零工乙"),
            "registered_on": DAY,
        },
        allowed="staff_a",
    ),
    "posting_save": Case(
        lambda w: {
            "unit": w.township_a,
            "employer": "茶企",
            "title": "采茶工",
            "positions": 2,
            "posted_on": DAY,
        },
        allowed="staff_a",
    ),
    "match_create": Case(
        lambda w: {"posting": _posting(w), "worker": _gig(w), "on": DAY}, allowed="staff_a"
    ),
    "placement_transition": Case(
        lambda w: {"placement": _placement(w), "to": "placed", "on": DAY}, allowed="staff_a"
    ),
}


def _services() -> dict:
    """Every public function of the modules of teams.services but its checks."""
    found = {}
    for info in pkgutil.iter_modules(teams.services.__path__):
        if info.name == "checks":
            continue
        module = importlib.import_module(f"teams.services.{info.name}")
        for name, member in inspect.getmembers(module, inspect.isfunction):
            if member.__module__ == module.__name__ and not name.startswith("_"):
                found[name] = member
    return found


SERVICES = _services()


def test_every_public_service_is_covered():
    assert set(SERVICES) == set(CASES)
    for name, service in SERVICES.items():
        assert "actor" in inspect.signature(service).parameters, name


@pytest.mark.parametrize("name", sorted(CASES))
def test_service_refuses_outside_and_under_privileged_actors(teams_world, name):
    w = teams_world
    case = CASES[name]
    service = SERVICES[name]
    kwargs = case.kwargs(w)
    counts = _counts()
    for refused in (case.outside, case.under):
        with pytest.raises(PermissionDenied) as refusal:
            service(actor=getattr(w, refused), **kwargs)
        assert str(refusal.value)  # a message the user can read
    assert _counts() == counts  # nothing written
    service(actor=getattr(w, case.allowed), **kwargs)


def test_a_refusal_says_why_in_chinese(teams_world):
    from django.utils import translation

    w = teams_world
    with translation.override("zh-hans"):
        with pytest.raises(PermissionDenied) as outside:
            reserve_remove(actor=w.staff_b, cadre=_cadre(w), on=DAY)
        with pytest.raises(PermissionDenied) as role:
            worker_create(
                actor=w.leader,
                person=make_person(w.community_a, "甲"),
                community=w.community_a,
                started_on=DAY,
            )
        with pytest.raises(PermissionDenied) as level:
            quota_set(
                actor=w.staff_a,
                township=w.township_a,
                kind=QuotaKind.ADMINISTRATIVE,
                allocated=1,
                filled=0,
            )
    assert "花园社区" in str(outside.value) and "范围" in str(outside.value)
    assert "角色" in str(role.value)
    assert "上级" in str(level.value)


def _counts():
    models = (TrainingSession, Secondment, StaffingQuota, Talent, TalentRequest, JobPosting)
    return {m: m.objects.count() for m in (*models, GigWorker, ProjectIdea, Ranking)}
