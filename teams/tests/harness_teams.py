"""Harness cases of the teams pages (tests/test_url_harness.py runs them).

staff_a (township A staff) works in 凤城街道 (community A, A2); 牛泉镇 (community B) is outside.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from governance.tests.factories import make_person
from teams.models import (
    BrandPhoto,
    CommunityWorker,
    GigWorker,
    JobPosting,
    PartyBrand,
    Placement,
    ProjectIdea,
    QuotaKind,
    Ranking,
    ReserveCadre,
    Salon,
    ScoreCriterion,
    Secondment,
    StaffingQuota,
    Talent,
    TalentRequest,
    Topic,
    TrainingSession,
    VillageLeader,
)
from teams.services.assessments import ranking_publish
from teams.services.brands import brand_save
from teams.services.employment import gig_register, match_create, posting_save
from teams.services.leaders import leader_save
from teams.services.reserve import reserve_add
from teams.services.salons import idea_create, salon_save
from teams.services.secondments import secondment_save
from teams.services.staffing import quota_set
from teams.services.talent import talent_register, talent_request_create
from teams.services.training import attendance_add, training_create
from teams.services.workers import worker_create
from teams.tests.builders import district_admin
from tests.harness import Case

DAY = datetime.date(2026, 3, 2)


def _person(unit, name):
    return make_person(unit, name)


def _training(unit):
    session = TrainingSession.objects.filter(unit=unit).first() or training_create(
        actor=district_admin(unit),
        unit=unit,
        title=f"{unit.name}培训",
        topic=Topic.PARTY_AFFAIRS,
        held_on=DAY,
    )
    return session


def _training_pk(unit):
    return {"pk": _training(unit).pk}


def _stored(name: str) -> str:
    """A small file in the storage under `name` (the harness only needs it to exist)."""
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(b"GIF89a"))
    return name


def _materials(unit):
    session = _training(unit)
    session.materials = _stored("teams/training/harness.pdf")
    session.save(update_fields=["materials"])
    return {"pk": session.pk}


def _brand_photo(community):
    brand = PartyBrand.objects.get(pk=_brand(community)["pk"])
    photo = BrandPhoto.objects.create(brand=brand, image=_stored("teams/brands/harness.gif"))
    return {"photo_pk": photo.pk}


def _unattend(unit):
    session = _training(unit)
    person = _person(unit, "签到人")
    attendance_add(actor=district_admin(unit), session=session, people=[person])
    return {"pk": session.pk, "person_pk": person.pk}


def _leader(village):
    leader = VillageLeader.objects.filter(village=village).first() or leader_save(
        actor=district_admin(village),
        village=village,
        person=_person(village, "书记"),
        post="secretary",
        term_start=DAY,
    )
    return {"pk": leader.pk}


def _reserve(village):
    cadre = ReserveCadre.objects.filter(village=village).first() or reserve_add(
        actor=district_admin(village),
        village=village,
        person=_person(village, "后备"),
        education="bachelor",
        source="graduate",
        added_on=DAY,
    )
    return {"pk": cadre.pk}


def _worker(community):
    worker = CommunityWorker.objects.filter(community=community).first()
    return worker or worker_create(
        actor=district_admin(community),
        person=_person(community, "社工"),
        community=community,
        started_on=DAY,
    )


def _worker_pk(community):
    return {"pk": _worker(community).pk}


def _criterion(district):
    criterion = ScoreCriterion.objects.filter(district=district).first()
    criterion = criterion or ScoreCriterion.objects.create(
        district=district, name="工作实绩", max_points=Decimal(100)
    )
    return {"pk": criterion.pk}


def _ranking(township):
    ranking, _created = Ranking.objects.get_or_create(unit=township, year=2026, half=1)
    return ranking


def _published_token(township, community):
    ranking = _ranking(township)
    if not ranking.entries.exists():
        worker = _worker(community)
        ranking.entries.create(worker=worker, score=Decimal(90), rank=1, months_scored=1)
    if not ranking.is_published:
        ranking_publish(actor=district_admin(township), ranking=ranking)
        ranking.refresh_from_db()
    return {"token": ranking.token}


def _secondment(community):
    secondment = Secondment.objects.filter(worker__community=community).first()
    secondment = secondment or secondment_save(
        actor=district_admin(community),
        worker=_worker(community),
        to_office="区委办",
        started_on=DAY,
        planned_end_on=DAY,
    )
    return {"pk": secondment.pk}


def _quota(township):
    quota = StaffingQuota.objects.filter(township=township).first() or quota_set(
        actor=district_admin(township),
        township=township,
        kind=QuotaKind.ADMINISTRATIVE,
        allocated=10,
        filled=5,
    )
    return {"pk": quota.pk}


def _brand(community):
    brand = PartyBrand.objects.filter(community=community).first() or brand_save(
        actor=district_admin(community),
        community=community,
        name=f"{community.name}红色家园",
        theme="elderly",
        year=2026,
    )
    return {"pk": brand.pk}


def _talent(unit):
    return Talent.objects.filter(unit=unit).first() or talent_register(
        actor=district_admin(unit),
        unit=unit,
        person=_person(unit, "人才"),
        category="graduate",
        registered_on=DAY,
    )


def _request(unit):
    request = TalentRequest.objects.filter(talent__unit=unit).first()
    request = request or talent_request_create(
        actor=district_admin(unit), talent=_talent(unit), kind="housing", submitted_on=DAY
    )
    return {"pk": request.pk}


def _salon(unit):
    salon = Salon.objects.filter(unit=unit).first() or salon_save(
        actor=district_admin(unit), unit=unit, kind="salon", title="人才沙龙", held_on=DAY
    )
    return salon


def _idea(unit):
    idea = ProjectIdea.objects.filter(salon__unit=unit).first()
    idea = idea or idea_create(actor=district_admin(unit), salon=_salon(unit), title="惊喜点")
    return {"pk": idea.pk}


def _posting(unit):
    posting = JobPosting.objects.filter(unit=unit).first() or posting_save(
        actor=district_admin(unit),
        unit=unit,
        employer="茶企",
        title="采茶工",
        positions=3,
        posted_on=DAY,
    )
    return posting


def _placement(unit):
    placement = Placement.objects.filter(posting__unit=unit).first()
    if placement is None:
        gig = GigWorker.objects.filter(unit=unit).first() or gig_register(
            actor=district_admin(unit), unit=unit, person=_person(unit, "零工"), registered_on=DAY
        )
        placement = match_create(
            actor=district_admin(unit), posting=_posting(unit), worker=gig, on=DAY
        )
    return {"pk": placement.pk}


CASES = [
    Case("teams:index"),
    Case("teams:figures", lambda w: {}),
    Case("teams:rules"),
    Case(
        "teams:criterion-edit",
        lambda w: _criterion(w.district),
        lambda w: _criterion(w.other_district),
        viewer="district_admin",
    ),
    Case("teams:training-list"),
    Case("teams:training-create"),
    Case("teams:training-export"),
    Case("teams:untrained"),
    Case(
        "teams:training-detail",
        lambda w: _training_pk(w.township_a),
        lambda w: _training_pk(w.township_b),
    ),
    Case(
        "teams:training-materials",
        lambda w: _materials(w.township_a),
        lambda w: _materials(w.township_b),
    ),
    Case(
        "teams:training-edit",
        lambda w: _training_pk(w.township_a),
        lambda w: _training_pk(w.township_b),
    ),
    Case(
        "teams:training-attend",
        lambda w: _training_pk(w.township_a),
        lambda w: _training_pk(w.township_b),
        post_only=True,
    ),
    Case(
        "teams:training-unattend",
        lambda w: _unattend(w.township_a),
        lambda w: _unattend(w.township_b),
        post_only=True,
    ),
    Case(
        "teams:training-import",
        lambda w: _training_pk(w.township_a),
        lambda w: _training_pk(w.township_b),
    ),
    Case("teams:leader-list"),
    Case("teams:leader-create"),
    Case(
        "teams:leader-edit",
        lambda w: _leader(w.community_a),
        lambda w: _leader(w.community_b),
    ),
    Case("teams:reserve-list"),
    Case("teams:reserve-create"),
    Case("teams:reserve-export"),
    Case("teams:reserve-shortfall"),
    Case(
        "teams:reserve-leave",
        lambda w: _reserve(w.community_a),
        lambda w: _reserve(w.community_b),
    ),
    Case("teams:worker-list"),
    Case("teams:worker-create"),
    Case(
        "teams:worker-detail",
        lambda w: _worker_pk(w.community_a),
        lambda w: _worker_pk(w.community_b),
    ),
    Case(
        "teams:worker-to-reserve",
        lambda w: _worker_pk(w.community_a),
        lambda w: _worker_pk(w.community_b),
        post_only=True,
    ),
    Case(
        "teams:scores",
        lambda w: {"community_pk": w.community_a.pk},
        lambda w: {"community_pk": w.community_b.pk},
    ),
    Case("teams:quarters"),
    Case(
        "teams:ranking",
        lambda w: {"township_pk": w.township_a.pk},
        lambda w: {"township_pk": w.township_b.pk},
    ),
    Case(
        "teams:ranking-publish",
        lambda w: {"pk": _ranking(w.township_a).pk},
        lambda w: {"pk": _ranking(w.township_b).pk},
        post_only=True,
    ),
    Case(
        "teams:ranking-unpublish",
        lambda w: {"pk": _ranking(w.township_a).pk},
        lambda w: {"pk": _ranking(w.township_b).pk},
        post_only=True,
    ),
    Case(
        "teams:ranking-public", lambda w: _published_token(w.township_a, w.community_a), public=True
    ),
    Case("teams:secondment-list"),
    Case("teams:secondment-create"),
    Case(
        "teams:secondment-edit",
        lambda w: _secondment(w.community_a),
        lambda w: _secondment(w.community_b),
    ),
    Case("teams:staffing"),
    Case("teams:quota-set", viewer="district_admin"),
    Case(
        "teams:quota-detail",
        lambda w: _quota(w.township_a),
        lambda w: _quota(w.township_b),
    ),
    Case("teams:brand-list"),
    Case("teams:brand-create"),
    Case("teams:model-communities"),
    Case(
        "teams:brand-detail",
        lambda w: _brand(w.community_a),
        lambda w: _brand(w.community_b),
    ),
    Case(
        "teams:brand-photo-file",
        lambda w: _brand_photo(w.community_a),
        lambda w: _brand_photo(w.community_b),
    ),
    Case(
        "teams:brand-edit",
        lambda w: _brand(w.community_a),
        lambda w: _brand(w.community_b),
    ),
    Case(
        "teams:brand-photo",
        lambda w: _brand(w.community_a),
        lambda w: _brand(w.community_b),
        post_only=True,
    ),
    Case("teams:talent-list"),
    Case("teams:talent-create"),
    Case("teams:talent-requests"),
    Case("teams:talent-request-create"),
    Case(
        "teams:talent-request-transition",
        lambda w: _request(w.township_a),
        lambda w: _request(w.township_b),
        post_only=True,
    ),
    Case("teams:salon-list"),
    Case("teams:salon-create"),
    Case(
        "teams:salon-detail",
        lambda w: {"pk": _salon(w.township_a).pk},
        lambda w: {"pk": _salon(w.township_b).pk},
    ),
    Case(
        "teams:idea-create",
        lambda w: {"pk": _salon(w.township_a).pk},
        lambda w: {"pk": _salon(w.township_b).pk},
        post_only=True,
    ),
    Case(
        "teams:idea-follow-up",
        lambda w: _idea(w.township_a),
        lambda w: _idea(w.township_b),
        post_only=True,
    ),
    Case("teams:gig-list"),
    Case("teams:gig-create"),
    Case("teams:posting-list"),
    Case("teams:posting-create"),
    Case(
        "teams:posting-detail",
        lambda w: {"pk": _posting(w.township_a).pk},
        lambda w: {"pk": _posting(w.township_b).pk},
    ),
    Case(
        "teams:posting-match",
        lambda w: {"pk": _posting(w.township_a).pk},
        lambda w: {"pk": _posting(w.township_b).pk},
        post_only=True,
    ),
    Case(
        "teams:placement-transition",
        lambda w: _placement(w.township_a),
        lambda w: _placement(w.township_b),
        post_only=True,
    ),
]
