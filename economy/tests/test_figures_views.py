"""The figures page and the lists it drills into: fixed query counts, drill-down = figure."""

from decimal import Decimal

import pytest
from django.urls import reverse

from economy.tests.conftest import YEAR
from governance.testing import frozen

pytestmark = pytest.mark.django_db


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
