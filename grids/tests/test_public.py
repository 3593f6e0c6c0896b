"""The grid's public page (亮身份), its QR code and photos: reachable without signing in, they
show no resident's data."""

import pytest
from django.urls import reverse

from governance.services import unit_update
from grids.services.grids import grid_profile_for
from grids.views.public import public_url

pytestmark = pytest.mark.django_db


def test_public_page_shows_worker_and_community_but_no_residents(client, grid):
    response = client.get(reverse("grids:public-grid", args=[grid.profile.public_token]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "吴桂英" in html and "05317620001" in html
    assert "0531-76211234" in html and "凤城街道花园路18号" in html
    assert "兴丰花园1-6号楼" in html
    assert "前任甲" not in html
    # The worker's private phone and every piece of household or visit data stay out.
    for private in (
        "13911112222",
        "贾宝玉",
        "13677778888",
        "11010519491231002X",
        "3号楼",
        "301",
        "独居",
        "家中漏水严重",
        "请求维修屋顶",
    ):
        assert private not in html, private
    # Its own layout: no staff navigation, no sign-in link.
    assert 'class="mainnav"' not in html
    assert "noindex" in response["X-Robots-Tag"]


def test_public_page_reads_no_household_or_visit(client, grid, django_assert_max_num_queries):
    url = reverse("grids:public-grid", args=[grid.profile.public_token])
    with django_assert_max_num_queries(3) as captured:
        client.get(url)
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert "grids_household" not in sql and "grids_visitlog" not in sql


def test_unknown_token_and_inactive_grid_are_404(client, grid):
    assert client.get(reverse("grids:public-grid", args=["nope"])).status_code == 404
    assert client.get(reverse("grids:public-grid-qr", args=["nope"])).status_code == 404
    unit_update(unit=grid.grid_a, is_active=False)
    url = reverse("grids:public-grid", args=[grid.profile.public_token])
    assert client.get(url).status_code == 404


def test_qr_code_is_an_svg_of_the_page(client, grid):
    response = client.get(reverse("grids:public-grid-qr", args=[grid.profile.public_token]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    body = response.content.decode()
    assert body.lstrip().startswith("<?xml") and "<svg" in body and "<path" in body


def test_the_qr_code_uses_the_public_address_when_set(client, settings, world):
    settings.SHANZHI_PUBLIC_BASE_URL = "https://shanzhi.example.gov.cn/"
    profile = grid_profile_for(world.grid_a)
    response = client.get(reverse("grids:public-grid-qr", args=[profile.public_token]))
    assert response.status_code == 200
    assert public_url(None, profile) == (
        f"https://shanzhi.example.gov.cn/grids/g/{profile.public_token}/"
    )
