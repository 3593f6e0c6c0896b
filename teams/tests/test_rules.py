"""The reserve rule, secondment flags, training figures, staffing and the status transitions."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from governance.models import Unit
from governance.tests.factories import make_person, make_unit
from teams import figures
from teams.models import (
    Placement,
    ProjectIdea,
    QuotaKind,
    Secondment,
    TalentRequest,
    Topic,
)
from teams.services.employment import gig_register, match_create, placement_transition, posting_save
from teams.services.reserve import reserve_add, reserve_remove
from teams.services.rules import policy_update
from teams.services.salons import idea_create, idea_follow_up, salon_save
from teams.services.secondments import secondment_save
from teams.services.staffing import quota_add, quota_set
from teams.services.talent import talent_register, talent_request_create, talent_request_transition
from teams.services.training import attendance_add, training_create
from teams.tests.builders import district_admin

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 20)


def add_reserve(village, n, name="后备"):
    return [
        reserve_add(
            actor=district_admin(village),
            village=village,
            person=make_person(village, f"{name}{i}"),
            education="bachelor",
            source="graduate",
            added_on=datetime.date(2026, 1, 5),
        )
        for i in range(n)
    ]


def test_villages_below_the_minimum_are_listed(world):
    add_reserve(world.community_a, 3)
    add_reserve(world.community_a2, 2)
    below = list(figures.shortfall(world.district))
    assert [(u.name, u.reserves) for u in below] == [("牛泉村", 0), ("鹏泉社区", 2)]
    data = figures.reserve_figures(world.district)
    assert (data.minimum, data.villages, data.cadres, data.below) == (3, 3, 5, 2)
    by_township = {row["unit"].name: row for row in data.by_township}
    assert by_township["凤城街道"]["below"] == 1
    assert by_township["牛泉镇"]["below"] == 1


def test_district_changes_the_minimum_and_left_cadres_do_not_count(world):
    cadres = add_reserve(world.community_a, 3)
    assert world.community_a not in figures.shortfall(world.township_a)
    reserve_remove(actor=world.district_admin, cadre=cadres[0], on=TODAY)
    assert world.community_a in figures.shortfall(world.township_a)
    with pytest.raises(ValidationError):
        reserve_remove(actor=world.district_admin, cadre=cadres[0], on=TODAY)
    policy_update(
        actor=world.district_admin,
        district=world.district,
        reserve_minimum=2,
        secondment_max_months=6,
        score_due_day=10,
    )
    assert world.community_a not in figures.shortfall(world.township_a)
    # Another district keeps its own rule (the default).
    other = make_unit(world.other_township, Unit.Kind.COMMUNITY, "熊山社区")
    add_reserve(other, 2, "政和")
    assert other in figures.shortfall(world.other_district)


def test_reserve_refuses_duplicates_and_wrong_units(world):
    person = make_person(world.community_a, "陈刚")
    values = dict(education="senior", source="veteran", added_on=TODAY)
    reserve_add(actor=world.district_admin, village=world.community_a, person=person, **values)
    with pytest.raises(ValidationError):
        reserve_add(actor=world.district_admin, village=world.community_a, person=person, **values)
    with pytest.raises(ValidationError):
        reserve_add(actor=world.district_admin, village=world.township_a, person=person, **values)
    stranger = make_person(world.other_township, "外县人")
    with pytest.raises(ValidationError):
        reserve_add(
            actor=world.district_admin, village=world.community_a, person=stranger, **values
        )


def _secondment(worker, **fields):
    values = dict(
        worker=worker,
        to_office="区委办公室",
        started_on=datetime.date(2026, 1, 1),
        planned_end_on=datetime.date(2026, 3, 31),
    )
    values.update(fields)
    return secondment_save(actor=district_admin(worker.community), **values)


def test_secondment_flags(teams_world):
    w = teams_world
    a, b, c = w.workers_a
    approved = dict(approval_document="莱组字〔2026〕3号", approved_on=datetime.date(2026, 1, 1))
    fine = _secondment(a, returned_on=datetime.date(2026, 3, 30), **approved)
    unapproved = _secondment(b, returned_on=datetime.date(2026, 3, 30))
    overdue = _secondment(c, **approved)  # planned end 03-31, not back
    too_long = _secondment(w.worker_a2, planned_end_on=datetime.date(2026, 12, 31), **approved)
    assert fine.flags(TODAY) == []
    assert unapproved.flags(TODAY) == ["unapproved"]
    assert overdue.flags(TODAY) == ["overdue"]
    assert too_long.flags(TODAY) == ["overlong"]
    qs = Secondment.objects.all()
    assert set(qs.flagged(TODAY)) == {unapproved, overdue, too_long}
    assert list(qs.overlong(TODAY)) == [too_long]
    assert list(qs.overdue(TODAY)) == [overdue]
    # Still away past the limit counts as overlong too (6 months from 01-01 ends 07-01).
    assert overdue.flags(datetime.date(2026, 7, 2)) == ["overdue", "overlong"]
    data = figures.worker_figures(w.district, TODAY, TODAY)
    assert (data.unapproved, data.overdue, data.overlong, data.flagged) == (1, 1, 1, 3)
    # A district that allows 12 months: the long secondment is no longer overlong.
    policy_update(
        actor=w.district_admin,
        district=w.district,
        reserve_minimum=3,
        secondment_max_months=12,
        score_due_day=10,
    )
    assert not Secondment.objects.overlong(TODAY).exists()


def test_secondment_dates_and_approval_are_checked(teams_world):
    a = teams_world.workers_a[0]
    with pytest.raises(ValidationError):
        _secondment(a, planned_end_on=datetime.date(2025, 12, 1))
    with pytest.raises(ValidationError):
        _secondment(a, approved_on=TODAY)  # no document
    assert not Secondment.objects.exists()


def test_training_figures_and_not_trained(teams_world):
    w = teams_world
    a, b, c = w.workers_a
    district_session = training_create(
        actor=w.district_admin,
        unit=w.district,
        title="乡村振兴专题培训",
        topic=Topic.RURAL_REVITALISATION,
        held_on=datetime.date(2026, 3, 3),
    )
    street_session = training_create(
        actor=w.district_admin,
        unit=w.township_a,
        title="矛盾纠纷调解",
        topic=Topic.MEDIATION,
        held_on=datetime.date(2026, 4, 3),
    )
    old = training_create(
        actor=w.district_admin,
        unit=w.township_a,
        title="去年的培训",
        topic=Topic.PARTY_AFFAIRS,
        held_on=datetime.date(2025, 4, 3),
    )
    assert (district_session.tier, street_session.tier) == ("district", "township")
    attendance_add(actor=w.district_admin, session=district_session, people=[a.person, b.person])
    attendance_add(actor=w.district_admin, session=street_session, people=[a.person])
    attendance_add(actor=w.district_admin, session=old, people=[c.person])
    data = figures.training_figures(w.district, datetime.date(2026, 1, 1), TODAY)
    assert (data.sessions, data.people) == (2, 2)
    tiers = {row["tier"]: (row["sessions"], row["people"]) for row in data.by_tier}
    assert tiers == {"district": (1, 2), "township": (1, 1), "village": (0, 0)}
    units = {row["unit"].name: row["sessions"] for row in data.by_unit}
    assert units["凤城街道"] == 1 and units["牛泉镇"] == 0
    untrained = set(figures.not_trained(w.district, 2026, TODAY).values_list("name", flat=True))
    assert untrained == {"王芳", "赵磊", "刘洋"}
    assert set(
        figures.not_trained(w.township_a, 2026, TODAY, user=w.staff_a).values_list(
            "name", flat=True
        )
    ) == {"王芳", "赵磊"}
    with pytest.raises(ValidationError):
        training_create(
            actor=w.district_admin, unit=w.grid_a, title="x", topic=Topic.OTHER, held_on=TODAY
        )
    stranger = make_person(w.other_township, "外县人")
    with pytest.raises(ValidationError):
        attendance_add(actor=w.district_admin, session=street_session, people=[stranger])


def test_staffing_additions_raise_the_allocation(world):
    quota = quota_set(
        actor=world.district_admin,
        township=world.township_a,
        kind=QuotaKind.ADMINISTRATIVE,
        allocated=30,
        filled=28,
    )
    quota_add(
        actor=world.district_admin,
        quota=quota,
        posts=10,
        approved_on=TODAY,
        document="莱编〔2026〕1号",
    )
    quota.refresh_from_db()
    assert (quota.allocated, quota.vacant) == (40, 12)
    with pytest.raises(ValidationError):
        quota_set(
            actor=world.district_admin,
            township=world.township_a,
            kind=QuotaKind.ADMINISTRATIVE,
            allocated=10,
            filled=28,
        )
    data = figures.staffing_figures(world.district, datetime.date(2026, 1, 1), TODAY)
    assert data["admin"]["added"] == 10 and data["admin"]["vacant"] == 12


def test_talent_request_transitions(world):
    person = make_person(world.other_township, "高才")
    talent = talent_register(
        actor=world.other_admin,
        unit=world.other_district,
        person=person,
        category="graduate",
        registered_on=TODAY,
    )
    with pytest.raises(ValidationError):
        talent_request_create(
            actor=world.other_admin,
            talent=talent,
            kind=TalentRequest.Kind.HOME_LOAN,
            submitted_on=TODAY,
        )
    request = talent_request_create(
        actor=world.other_admin,
        talent=talent,
        kind=TalentRequest.Kind.HOME_LOAN,
        amount=Decimal(200000),
        submitted_on=TODAY,
    )
    with pytest.raises(ValidationError):
        talent_request_transition(actor=world.other_admin, request=request, to="done", on=TODAY)
    talent_request_transition(actor=world.other_admin, request=request, to="reviewing", on=TODAY)
    talent_request_transition(actor=world.other_admin, request=request, to="approved", on=TODAY)
    assert request.decided_on == TODAY
    data = figures.talent_figures(world.other_district, datetime.date(2026, 1, 1), TODAY)
    assert data["home_loans"] == 1 and data["home_loan_amount"] == Decimal(200000)


def test_ideas_and_placements(world):
    salon = salon_save(
        actor=world.other_admin,
        unit=world.other_district,
        kind="night_talk",
        title="夜话经济第一期",
        held_on=TODAY,
        participants=40,
    )
    idea = idea_create(actor=world.other_admin, salon=salon, title="白茶民宿")
    with pytest.raises(ValidationError):
        idea_follow_up(
            actor=world.other_admin, idea=idea, status=ProjectIdea.Status.LANDED, note="落地"
        )
    idea_follow_up(
        actor=world.other_admin, idea=idea, status=ProjectIdea.Status.FOLLOWING, note="对接乡镇"
    )
    idea_follow_up(
        actor=world.other_admin, idea=idea, status=ProjectIdea.Status.LANDED, note="已签约"
    )
    assert idea.follow_ups.count() == 2
    posting = posting_save(
        actor=world.other_admin,
        unit=world.other_township,
        employer="政和白茶公司",
        title="采茶工",
        positions=1,
        posted_on=TODAY,
    )
    gig = [
        gig_register(
            actor=world.other_admin,
            unit=world.other_township,
            person=make_person(world.other_township, f"零工{i}"),
            registered_on=TODAY,
        )
        for i in range(2)
    ]
    first = match_create(actor=world.other_admin, posting=posting, worker=gig[0], on=TODAY)
    second = match_create(actor=world.other_admin, posting=posting, worker=gig[1], on=TODAY)
    with pytest.raises(ValidationError):
        match_create(actor=world.other_admin, posting=posting, worker=gig[0], on=TODAY)
    placement_transition(
        actor=world.other_admin, placement=first, to=Placement.Status.PLACED, on=TODAY
    )
    with pytest.raises(ValidationError):  # one position only
        placement_transition(
            actor=world.other_admin, placement=second, to=Placement.Status.PLACED, on=TODAY
        )
    data = figures.employment_figures(world.other_district, datetime.date(2026, 1, 1), TODAY)
    assert (data["registered"], data["served"], data["matches"], data["placed"]) == (2, 2, 2, 1)
