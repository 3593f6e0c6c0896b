"""The village pages: scope, the income form in 万元, who may record an income, the history."""

from decimal import Decimal

import pytest
from django.urls import reverse

from economy.models import VillageIncome
from economy.tests.conftest import YEAR

pytestmark = pytest.mark.django_db


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


def test_village_page_shows_history_and_moves(client, big):
    client.force_login(big.staff_a)
    village = big.villages[10]
    response = client.get(reverse("economy:village-detail", args=[village.pk]))
    history = response.context["history"]
    assert [h["income"].year for h in history] == [YEAR, YEAR - 1]
    assert history[0]["move"] == "same"  # 310,000 after 250,000: both in 10–50万
