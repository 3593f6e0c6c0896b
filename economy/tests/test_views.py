"""Economy pages: scope, rights, the milestone POST moving progress and figures, fixed queries."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from economy import services
from economy.models import IncomeMeasure, Milestone, Project, VillageIncome
from economy.tests.conftest import YEAR
from governance.testing import frozen

pytestmark = pytest.mark.django_db


def test_township_staff_records_a_milestone_done_and_figures_move(client, eco):
    first = services.milestone_add(
        actor=None, project=eco.project_a, name="立项", weight=Decimal("1")
    )
    services.milestone_add(actor=None, project=eco.project_a, name="建设", weight=Decimal("3"))
    client.force_login(eco.staff_a)
    figures = reverse("economy:figures") + f"?unit={eco.township_a.pk}&year={YEAR}"
    assert client.get(figures).context["f"].project_progress == Decimal("0.00")
    response = client.post(
        reverse("economy:milestone-record", args=[first.pk]), {"progress": "100"}
    )
    assert response.status_code == 302
    assert Project.objects.get(pk=eco.project_a.pk).progress == Decimal("25.00")
    # Mean over the township's projects in the year: project A only.
    assert client.get(figures).context["f"].project_progress == Decimal("25.00")


def test_milestone_record_by_htmx_returns_the_tree(client, eco):
    m = services.milestone_add(actor=None, project=eco.project_a, name="立项")
    client.force_login(eco.staff_a)
    response = client.post(
        reverse("economy:milestone-record", args=[m.pk]),
        {"progress": "100"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'data-testid="milestones"' in response.content.decode()
    assert "<html" not in response.content.decode()


def test_others_cannot_record_milestones(client, eco):
    m = services.milestone_add(actor=None, project=eco.project_a, name="立项")
    url = reverse("economy:milestone-record", args=[m.pk])
    client.force_login(eco.staff_b)
    assert client.post(url, {"progress": "100"}).status_code == 404
    # A community secretary sees the project (it involves the community) but does not run it.
    client.force_login(eco.secretary_a)
    assert client.get(reverse("economy:project-detail", args=[eco.project_a.pk])).status_code == 200
    assert client.post(url, {"progress": "100"}).status_code == 403
    assert Milestone.objects.get(pk=m.pk).progress == 0


def test_bad_progress_is_refused_with_a_message(client, eco):
    m = services.milestone_add(actor=None, project=eco.project_a, name="立项")
    client.force_login(eco.staff_a)
    response = client.post(
        reverse("economy:milestone-record", args=[m.pk]), {"progress": "abc"}, follow=True
    )
    assert "0" in response.content.decode()
    assert Milestone.objects.get(pk=m.pk).progress == 0


def test_township_sees_its_villages_only(client, eco):
    client.force_login(eco.staff_a)
    response = client.get(reverse("economy:village-list") + f"?year={YEAR}")
    names = {r.village.name for r in response.context["page"]}
    assert names == {"花园社区", "鹏泉社区", "东关村"}
    assert (
        client.get(reverse("economy:village-list") + f"?unit={eco.township_b.pk}").status_code
        == 404
    )
    assert (
        client.get(reverse("economy:village-detail", args=[eco.community_b.pk])).status_code == 404
    )


def test_income_form_reads_wan_exactly(client, eco):
    client.force_login(eco.staff_a)
    url = reverse("economy:income-record", args=[eco.village_a.pk])
    response = client.post(
        url, {"year": YEAR, "operating_income": "12.345678", "asset_income": "12.345678"}
    )
    assert response.status_code == 302
    income = VillageIncome.objects.get(village=eco.village_a, year=YEAR)
    assert income.operating_income == Decimal("123456.78")
    response = client.post(url, {"year": YEAR, "operating_income": "1,2,3"})
    assert response.status_code == 400
    assert VillageIncome.objects.get(village=eco.village_a, year=YEAR).operating_income == Decimal(
        "123456.78"
    )


def test_village_cadre_cannot_record_income(client, eco):
    client.force_login(eco.secretary_b)
    # A secretary keeps their own village's records; not township A's.
    assert client.get(reverse("economy:income-record", args=[eco.village_a.pk])).status_code == 404


def test_late_measures_show_red(client, eco):
    services.measure_create(
        actor=None,
        village=eco.village_a,
        title="闲置校舍出租",
        owner_name="王建国",
        deadline=datetime.date(YEAR, 5, 1),
    )
    client.force_login(eco.staff_a)
    with frozen(eco.today, 10):
        response = client.get(reverse("economy:measure-list") + f"?year={YEAR}&state=late")
    assert response.context["page"].paginator.count == 1
    assert 'class="late"' in response.content.decode()


def test_measure_done_by_post(client, eco):
    m = services.measure_create(
        actor=None,
        village=eco.community_a,
        title="出租",
        owner_name="王建国",
        deadline=datetime.date(YEAR, 5, 1),
    )
    client.force_login(eco.secretary_a)
    response = client.post(reverse("economy:measure-status", args=[m.pk]), {"status": "done"})
    assert response.status_code == 302
    assert IncomeMeasure.objects.get(pk=m.pk).status == "done"
    # Done → cancelled is not a step: refused, nothing changes.
    client.post(reverse("economy:measure-status", args=[m.pk]), {"status": "cancelled"})
    assert IncomeMeasure.objects.get(pk=m.pk).status == "done"


def test_measure_status_with_a_next_that_is_not_a_url_lands_on_the_list(client, eco):
    m = services.measure_create(
        actor=None,
        village=eco.community_a,
        title="出租",
        owner_name="王建国",
        deadline=datetime.date(YEAR, 5, 1),
    )
    client.force_login(eco.secretary_a)
    url = reverse("economy:measure-status", args=[m.pk])
    response = client.post(url, {"status": "done", "next": "foo"})
    assert response.status_code == 302 and response["Location"] == reverse("economy:measure-list")
    assert IncomeMeasure.objects.get(pk=m.pk).status == "done"


def test_project_create_for_own_township_only(client, eco):
    client.force_login(eco.staff_a)
    url = reverse("economy:project-create")
    response = client.post(
        url,
        {
            "owner_unit": eco.township_b.pk,
            "name": "越界项目",
            "year": YEAR,
            "budget": "10",
        },
    )
    assert response.status_code == 400
    response = client.post(
        url,
        {
            "owner_unit": eco.township_a.pk,
            "name": "新项目",
            "year": YEAR,
            "budget": "302.5",
            "villages": [eco.village_a.pk],
        },
    )
    assert response.status_code == 302
    project = Project.objects.get(name="新项目")
    assert project.budget == Decimal("3025000.00")


# Fixed query counts ---------------------------------------------------------------------------

# Session, user, memberships (cached), the unit, unit picker (children + ancestors), bands,
# villages, incomes, funding, project status, project totals, measures, pairings, base template
# (person, notifications) — independent of the number of villages, projects or measures.
FIGURES_QUERIES = 20
LIST_QUERIES = 16


def test_figures_page_queries_do_not_grow(client, big, django_assert_max_num_queries):
    client.force_login(big.district_admin)
    url = reverse("economy:figures") + f"?unit={big.district.pk}&year={YEAR}"
    with django_assert_max_num_queries(FIGURES_QUERIES):
        response = client.get(url)
    f = response.context["f"]
    assert f.villages == 34
    assert f.project_count == 32
    assert f.pairings == 30 and f.paired_villages == 30 and f.paired_enterprises == 1
    assert f.moves["up"] + f.moves["same"] + f.moves["down"] + f.moves["new"] == 30
    assert f.funding_total == Decimal("3500000.00") + Decimal("300015.00") + Decimal("1000000.00")


@pytest.mark.parametrize(
    "name",
    [
        "village-list",
        "project-list",
        "measure-list",
        "pairing-list",
        "enterprise-list",
        "company-list",
        "catalogue",
    ],
)
def test_lists_keep_a_fixed_number_of_queries(client, big, name, django_assert_max_num_queries):
    client.force_login(big.staff_a)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(reverse(f"economy:{name}") + f"?year={YEAR}")
    assert response.status_code == 200


def test_village_page_shows_history_and_moves(client, big):
    client.force_login(big.staff_a)
    village = big.villages[10]
    response = client.get(reverse("economy:village-detail", args=[village.pk]))
    history = response.context["history"]
    assert [h["income"].year for h in history] == [YEAR, YEAR - 1]
    assert history[0]["move"] == "same"  # 310,000 after 250,000: both in 10–50万


def test_drill_down_matches_the_figure(client, big):
    client.force_login(big.staff_a)
    f = client.get(reverse("economy:figures") + f"?year={YEAR}").context["f"]
    for move in ("up", "same", "down", "new"):
        listed = client.get(reverse("economy:village-list") + f"?year={YEAR}&move={move}")
        assert listed.context["count"] == f.moves[move]
    for band, n in f.bands:
        listed = client.get(reverse("economy:village-list") + f"?year={YEAR}&band={band.pk}")
        assert listed.context["count"] == n
    with frozen(big.today, 10):
        f = client.get(reverse("economy:figures") + f"?year={YEAR}").context["f"]
        late = client.get(reverse("economy:measure-list") + f"?year={YEAR}&state=late")
    assert late.context["page"].paginator.count == f.measures_late > 0
    projects = client.get(reverse("economy:project-list") + f"?year={YEAR}&source=higher_level")
    assert projects.context["page"].paginator.count == 31
