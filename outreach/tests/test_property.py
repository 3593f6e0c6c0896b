import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from governance import notifications
from governance.models import LedgerItem, Notification, Source
from governance.testing import frozen
from outreach.figures.property import property_ranking
from outreach.models import PropertyCompany, PropertyComplaint, PropertyEvaluation
from outreach.services import property as services

pytestmark = pytest.mark.django_db

JAN = datetime.date(2026, 1, 5)


def _code(body: str) -> str:
    total = sum(
        services.CREDIT_CHARS.index(c) * w
        for c, w in zip(body, services.CREDIT_WEIGHTS, strict=False)
    )
    return body + services.CREDIT_CHARS[(31 - total % 31) % 31]


@pytest.fixture
def property_world(reception_world):
    w = reception_world
    w.criteria = services.criteria_set(
        district=w.district,
        rows=[("服务质量", 40), ("环境卫生", 30), ("安全管理", 20), ("党建引领", 10)],
        actor=w.district_admin,
    )
    w.companies = [
        services.company_register(district=w.district, name=name, actor=w.district_admin)
        for name in ("鲁中物业", "凤城物业", "嬴城物业", "牛泉物业")
    ]
    w.estate_a = services.estate_add(community=w.community_a, name="花园小区", actor=w.staff_a)
    w.estate_a2 = services.estate_add(community=w.community_a2, name="鹏泉小区", actor=w.staff_a)
    w.estate_b = services.estate_add(community=w.community_b, name="牛泉新村", actor=w.staff_b)
    for company, estate in zip(
        w.companies, (w.estate_a, w.estate_a2, w.estate_a2, w.estate_b), strict=True
    ):
        if estate == w.estate_a2 and company.name == "嬴城物业":
            continue
        services.contract_start(estate=estate, company=company, started_on=JAN, actor=None)
    return w


def _evaluate(w, community, company, values, period="2026-Q1", actor=None):
    scores = {c.pk: v for c, v in zip(w.criteria, values, strict=True)}
    return services.property_evaluate(
        community=community,
        company=company,
        period=period,
        scores=scores,
        actor=actor or w.staff_a,
    )


def test_credit_codes_and_criteria_weights_are_checked(property_world):
    w = property_world
    good = _code("91370116MA3C1234X")
    assert services.normalize_credit_code(good.lower()) == good
    with pytest.raises(ValidationError):
        services.normalize_credit_code(good[:-1] + ("0" if good[-1] != "0" else "1"))
    with pytest.raises(ValidationError, match="100"):
        services.criteria_set(
            district=w.district, rows=[("服务质量", 60), ("环境卫生", 30)], actor=w.district_admin
        )
    with pytest.raises(ValidationError):
        services.criteria_set(
            district=w.district, rows=[("服务质量", 50), ("服务质量", 50)], actor=w.district_admin
        )
    assert sum(c.weight for c in services.active_criteria(w.district)) == 100


def test_weighted_score_is_exact_and_once_per_quarter(property_world):
    w = property_world
    with frozen(2026, 3, 20, 10):
        evaluation = _evaluate(w, w.community_a, w.companies[0], ["85.5", "90", "77", "100"])
        # 0.4×85.5 + 0.3×90 + 0.2×77 + 0.1×100 = 34.2 + 27 + 15.4 + 10
        assert evaluation.score == Decimal("86.60")
        assert [s.weight for s in evaluation.scores.all()] == [40, 30, 20, 10]
        with pytest.raises(ValidationError):
            _evaluate(w, w.community_a, w.companies[0], [90, 90, 90, 90])
        with pytest.raises(ValidationError):  # 凤城物业 does not serve 花园社区
            _evaluate(w, w.community_a, w.companies[1], [90, 90, 90, 90])
        with pytest.raises(ValidationError):
            _evaluate(w, w.community_a2, w.companies[1], [90, 120, 90, 90])
        with pytest.raises(ValidationError):  # not started yet
            _evaluate(w, w.community_a, w.companies[0], [90, 90, 90, 90], period="2026-Q2")
    # A later change of criteria leaves the evaluation as it was scored.
    services.criteria_set(district=w.district, rows=[("综合", 100)], actor=w.district_admin)
    assert evaluation.scores.count() == 4


def test_ranking_with_ties_and_scope(property_world):
    w = property_world
    lu, feng, ying, niu = w.companies
    with frozen(2026, 3, 20, 10):
        services.contract_start(
            estate=w.estate_a, company=ying, started_on=datetime.date(2026, 3, 1), actor=None
        )
        _evaluate(w, w.community_a, lu, [90, 90, 90, 90])
        _evaluate(w, w.community_a2, feng, [80, 80, 80, 80])
        _evaluate(w, w.community_a, ying, [90, 90, 90, 90])
        _evaluate(w, w.community_b, niu, [95, 95, 95, 95], actor=w.staff_b)
    ranking = property_ranking(w.district, "2026-Q1")
    # Tied companies share the rank and are listed by name.
    assert [(r.rank, r.company.name, r.score) for r in ranking] == [
        (1, "牛泉物业", Decimal("95.00")),
        (2, "嬴城物业", Decimal("90.00")),
        (2, "鲁中物业", Decimal("90.00")),
        (4, "凤城物业", Decimal("80.00")),
    ]
    # Township A sees its own companies with their district ranks, not 牛泉物业.
    seen = property_ranking(w.district, "2026-Q1", user=w.staff_a)
    assert [(r.rank, r.company.name) for r in seen] == [
        (2, "嬴城物业"),
        (2, "鲁中物业"),
        (4, "凤城物业"),
    ]
    assert property_ranking(w.district, "2026-Q2") == []


def test_complaint_enters_the_ledger_linked_to_the_company(property_world, client):
    w = property_world
    with frozen(2026, 3, 20, 10):
        complaint = services.complaint_file(
            company=w.companies[0],
            estate=w.estate_a,
            ledger=w.ledger,
            title="电梯经常停运",
            actor=w.secretary_a,
            resident_name="李四",
            resident_phone="13812341234",
        )
        with pytest.raises(ValidationError):  # the company does not serve B's estate
            services.complaint_file(
                company=w.companies[0],
                estate=w.estate_b,
                ledger=w.ledger_b,
                title="x",
                actor=w.staff_b,
            )
    item = complaint.item
    assert item.source == Source.PROPERTY and item.ledger == w.ledger
    assert item.source_record == w.companies[0]
    assert LedgerItem.objects.filter(source=Source.PROPERTY).count() == 1
    client.force_login(w.secretary_a)
    body = client.get(w.companies[0].get_absolute_url()).content.decode()
    assert item.number in body
    client.force_login(w.staff_b)
    assert client.get(w.companies[0].get_absolute_url()).status_code == 404
    assert not PropertyComplaint.objects.for_user(w.staff_b).exists()


def test_pages_evaluate_and_rank(property_world, client, django_assert_max_num_queries):
    w = property_world
    client.force_login(w.staff_a)
    with frozen(2026, 3, 20, 10):
        data = {"community": w.community_a.pk, "period": "2026-Q1", "note": ""}
        data.update({f"c_{c.pk}": "88" for c in w.criteria})
        response = client.post(
            reverse("outreach:property-evaluation-new", args=[w.companies[0].pk]), data
        )
        assert response.status_code == 302
        assert PropertyEvaluation.objects.get().score == Decimal("88.00")
        with django_assert_max_num_queries(10):
            response = client.get(reverse("outreach:property-ranking"), {"period": "2026-Q1"})
    assert [r.company for r in response.context["rows"]] == [w.companies[0]]
    # Criteria weights not adding up are refused on the page, with the total named.
    client.force_login(w.district_admin)
    response = client.post(
        reverse("outreach:property-criteria") + f"?unit={w.district.pk}",
        {"name_0": "服务", "weight_0": "50", "name_1": "卫生", "weight_1": "30"},
    )
    assert response.status_code == 400 and "80" in response.content.decode()
    assert PropertyCompany.objects.for_user(w.staff_b).count() == 1


def _due(day):
    notifications.run_sweeps(day, kinds=["outreach.property_evaluation_due"])
    return Notification.objects.filter(kind="outreach.property_evaluation_due", day=day)


def test_property_evaluation_due_reminders(property_world):
    w = property_world
    with frozen(2026, 3, 25, 10):
        sent = _due(datetime.date(2026, 3, 25))
        recipients = {(n.recipient, n.subject_id) for n in sent}
        assert (w.secretary_a, w.community_a.pk) in recipients
        assert (w.secretary_b, w.community_b.pk) in recipients
        _due(datetime.date(2026, 3, 25))
        assert Notification.objects.filter(kind="outreach.property_evaluation_due").count() == len(
            recipients
        )
        _evaluate(w, w.community_a, w.companies[0], [90, 90, 90, 90])
    with frozen(2026, 4, 3, 10):
        sent = _due(datetime.date(2026, 4, 3))
        assert w.community_a.pk not in {n.subject_id for n in sent}
        assert w.community_b.pk in {n.subject_id for n in sent}
    with frozen(2026, 5, 10, 10):
        assert not _due(datetime.date(2026, 5, 10)).exists()


def test_a_township_can_filter_the_ranking_it_opened(property_world, client):
    """The filter form sends back the unit the page was opened with: a township's staff, who
    may not name the district, can change the quarter (it sent the district: a 404)."""
    w = property_world
    client.force_login(w.staff_a)
    page = client.get(reverse("outreach:property-ranking"))
    assert page.status_code == 200
    unit = page.context["unit"]
    assert f'name="unit" value="{unit.pk}"' in page.content.decode()
    again = client.get(reverse("outreach:property-ranking"), {"unit": unit.pk, "period": "2026-Q1"})
    assert again.status_code == 200
    assert (
        client.get(reverse("outreach:property-ranking"), {"unit": w.district.pk}).status_code == 404
    )
