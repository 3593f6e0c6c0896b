import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from governance import notifications
from governance.models import Notification
from governance.testing import frozen
from outreach.figures.dual import evaluations_due
from outreach.models import Grade, ProjectStatus, WorkUnit, WorkUnitPosting
from outreach.services import dual as services

pytestmark = pytest.mark.django_db

JAN = datetime.date(2026, 1, 5)


@pytest.fixture
def dual_world(reception_world):
    w = reception_world
    with frozen(2026, 1, 5, 10):
        w.unit = services.work_unit_register(
            community=w.community_a,
            name="区人社局机关党支部",
            kind="office",
            started_on=JAN,
            actor=w.staff_a,
            contact_name="刘主任",
            contact_phone="13912345678",
        )
        w.member = services.member_register(
            community=w.community_a,
            name="周党员",
            registered_on=JAN,
            actor=w.secretary_a,
            phone="13700001111",
            work_unit=w.unit,
        )
    return w


def test_reassignment_keeps_history_and_moves_scope(dual_world):
    w = dual_world
    with pytest.raises(ValidationError, match=r"re-assign|动态调整|重新"):
        services.work_unit_register(
            community=w.community_a2,
            name="区人社局机关党支部",
            kind="office",
            started_on=JAN,
            actor=w.staff_a,
        )
    with frozen(2026, 4, 1, 10):
        with pytest.raises(ValidationError):
            services.work_unit_reassign(
                work_unit=w.unit,
                community=w.community_a,
                on=datetime.date(2026, 4, 1),
                actor=w.staff_a,
            )
        with pytest.raises(ValidationError):
            services.work_unit_reassign(
                work_unit=w.unit, community=w.community_a2, on=JAN, actor=w.staff_a
            )
        # Township B's staff manage neither community.
        with pytest.raises(PermissionDenied):
            services.work_unit_reassign(
                work_unit=w.unit,
                community=w.community_b,
                on=datetime.date(2026, 4, 1),
                actor=w.staff_b,
            )
        new = services.work_unit_reassign(
            work_unit=w.unit,
            community=w.community_a2,
            on=datetime.date(2026, 4, 1),
            actor=w.staff_a,
            reason="动态调整",
        )
    postings = list(WorkUnitPosting.objects.filter(work_unit=w.unit).order_by("started_on"))
    assert [(p.community, p.started_on, p.ended_on) for p in postings] == [
        (w.community_a, JAN, datetime.date(2026, 4, 1)),
        (w.community_a2, datetime.date(2026, 4, 1), None),
    ]
    assert services.current_posting(w.unit) == new
    # Both communities' people see the unit; township B's do not.
    assert WorkUnit.objects.for_user(w.secretary_a).filter(pk=w.unit.pk).exists()
    assert WorkUnit.objects.for_user(w.staff_a).filter(pk=w.unit.pk).exists()
    assert not WorkUnit.objects.for_user(w.staff_b).filter(pk=w.unit.pk).exists()
    assert WorkUnit.objects.for_user(w.district_admin).filter(pk=w.unit.pk).count() == 1


def test_evaluation_per_half_year_with_grade_and_feedback(dual_world, client):
    w = dual_world
    with frozen(2026, 6, 20, 10):
        with pytest.raises(ValidationError):
            services.unit_evaluate(
                community=w.community_a,
                work_unit=w.unit,
                period="2026-H2",
                score=90,
                feedback="好",
                actor=w.secretary_a,
            )
        with pytest.raises(ValidationError):  # quarters are for property companies
            services.unit_evaluate(
                community=w.community_a,
                work_unit=w.unit,
                period="2026-Q1",
                score=90,
                feedback="好",
                actor=w.secretary_a,
            )
        with pytest.raises(ValidationError):  # never posted to A2
            services.unit_evaluate(
                community=w.community_a2,
                work_unit=w.unit,
                period="2026-H1",
                score=90,
                feedback="好",
                actor=w.staff_a,
            )
        with pytest.raises(ValidationError):
            services.unit_evaluate(
                community=w.community_a,
                work_unit=w.unit,
                period="2026-H1",
                score=101,
                feedback="好",
                actor=w.secretary_a,
            )
        evaluation = services.unit_evaluate(
            community=w.community_a,
            work_unit=w.unit,
            period="2026-h1",
            score="88.5",
            feedback="积极认领项目，服务时长达标。",
            actor=w.secretary_a,
        )
        assert evaluation.period == "2026-H1" and evaluation.score == Decimal("88.5")
        assert evaluation.grade == Grade.GOOD
        with pytest.raises(ValidationError, match=r"already|已"):
            services.unit_evaluate(
                community=w.community_a,
                work_unit=w.unit,
                period="2026-H1",
                score=95,
                feedback="再评",
                actor=w.staff_a,
            )
    assert evaluations_due([w.community_a.pk], "2026-H1") == {}
    client.force_login(w.staff_b)
    assert client.get(evaluation.get_absolute_url()).status_code == 404
    client.force_login(w.secretary_a)
    response = client.get(evaluation.get_absolute_url())
    assert "积极认领项目" in response.content.decode()


def test_claims_are_one_winner_and_records_check_the_provider(dual_world):
    w = dual_world
    with frozen(2026, 3, 2, 10):
        project = services.project_publish(
            community=w.community_a,
            title="周末助老理发",
            starts_on=datetime.date(2026, 3, 7),
            ends_on=datetime.date(2026, 3, 7),
            actor=w.secretary_a,
            needs="理发师2名",
        )
        stranger = services.work_unit_register(
            community=w.community_b,
            name="牛泉镇卫生院",
            kind="institution",
            started_on=JAN,
            actor=w.staff_b,
        )
        with pytest.raises(ValidationError):
            services.project_claim(project=project, actor=w.secretary_a, work_unit=stranger)
        services.project_claim(project=project, actor=w.secretary_a, member=w.member)
        with pytest.raises(ValidationError, match="不能再认领"):
            services.project_claim(project=project, actor=w.staff_a, work_unit=w.unit)
        project.refresh_from_db()
        assert project.status == ProjectStatus.CLAIMED and project.claimant == w.member
    with frozen(2026, 3, 8, 10):
        with pytest.raises(ValidationError):
            services.service_record_add(
                community=w.community_a,
                what="理发",
                served_on=datetime.date(2026, 3, 7),
                hours="0.2",
                member=w.member,
                actor=w.secretary_a,
            )
        with pytest.raises(ValidationError):
            services.service_record_add(
                community=w.community_a,
                what="理发",
                served_on=datetime.date(2026, 3, 9),
                hours="2",
                member=w.member,
                actor=w.secretary_a,
            )
        record = services.service_record_add(
            community=w.community_a,
            what="理发",
            served_on=datetime.date(2026, 3, 7),
            hours="2.5",
            member=w.member,
            project=project,
            actor=w.secretary_a,
            people=3,
        )
        assert record.hours == Decimal("2.5")
        services.project_finish(project=project, actor=w.secretary_a)
        with pytest.raises(ValidationError):
            services.project_finish(project=project, actor=w.secretary_a)


def test_member_phone_is_masked_on_the_list(dual_world, client):
    w = dual_world
    client.force_login(w.staff_a)
    body = client.get(reverse("outreach:dual-member-list")).content.decode()
    assert "137****1111" in body and "13700001111" not in body


def test_pages_register_reassign_and_evaluate(dual_world, client):
    w = dual_world
    client.force_login(w.staff_a)
    with frozen(2026, 6, 25, 10):
        response = client.post(
            reverse("outreach:dual-unit-reassign", args=[w.unit.pk]),
            {"community": w.community_a2.pk, "on": "2026-06-25", "reason": "调整"},
        )
        assert response.status_code == 302
        response = client.post(
            reverse("outreach:dual-evaluation-new", args=[w.unit.pk]),
            {"community": w.community_a.pk, "period": "2026-H1", "score": "92", "feedback": "好"},
        )
        assert response.status_code == 302
        # The same again is refused with a message, nothing saved twice.
        response = client.post(
            reverse("outreach:dual-evaluation-new", args=[w.unit.pk]),
            {"community": w.community_a.pk, "period": "2026-H1", "score": "80", "feedback": "x"},
        )
        assert response.status_code == 400
    assert w.unit.evaluations.count() == 1


def _due(day):
    notifications.run_sweeps(day, kinds=["outreach.dual_evaluation_due"])
    return Notification.objects.filter(kind="outreach.dual_evaluation_due", day=day)


def test_evaluation_due_reminders(dual_world):
    w = dual_world
    with frozen(2026, 6, 1, 10):
        assert not _due(datetime.date(2026, 6, 1)).exists()  # not yet the last two weeks
    with frozen(2026, 6, 20, 10):
        sent = _due(datetime.date(2026, 6, 20))
        assert {n.recipient for n in sent} == {w.secretary_a}
        assert "1" in sent.get().title
        _due(datetime.date(2026, 6, 20))
        assert Notification.objects.filter(kind="outreach.dual_evaluation_due").count() == 1
    with frozen(2026, 7, 10, 10):  # overdue: still reminded after the half-year ended
        assert _due(datetime.date(2026, 7, 10)).count() == 1
        services.unit_evaluate(
            community=w.community_a,
            work_unit=w.unit,
            period="2026-H1",
            score=70,
            feedback="一般",
            actor=w.secretary_a,
        )
    with frozen(2026, 7, 11, 10):
        assert not _due(datetime.date(2026, 7, 11)).exists()


def test_lists_keep_their_query_count(dual_world, client, django_assert_max_num_queries):
    w = dual_world
    with frozen(2026, 3, 2, 10):
        for i in range(15):
            unit = services.work_unit_register(
                community=w.community_a if i % 2 else w.community_a2,
                name=f"共建单位{i}",
                kind="enterprise",
                started_on=JAN,
                actor=w.staff_a,
            )
            project = services.project_publish(
                community=w.community_a,
                title=f"项目{i}",
                starts_on=JAN,
                ends_on=datetime.date(2026, 3, 31),
                actor=w.staff_a,
            )
            if i % 2:
                services.project_claim(project=project, actor=w.staff_a, work_unit=unit)
            services.member_register(
                community=w.community_a, name=f"党员{i}", registered_on=JAN, actor=w.staff_a
            )
    client.force_login(w.staff_a)
    for name in (
        "outreach:dual-unit-list",
        "outreach:dual-project-list",
        "outreach:dual-member-list",
    ):
        with django_assert_max_num_queries(12):
            response = client.get(reverse(name))
        assert response.status_code == 200
        assert response.context["page"].paginator.count >= 15
