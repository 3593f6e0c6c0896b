import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.services import unit_update
from governance.tests.factories import make_person
from grids.models import GridProfile, Household, VisitLog
from grids.services.grids import grid_profile_for
from grids.services.workers import grid_worker_assign, grid_worker_register
from grids.views.public import public_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def grid(world):
    """grid_a with a full-time worker on duty, a former worker, and a household visited."""
    unit_update(unit=world.community_a, phone="0531-76211234", address="凤城街道花园路18号")
    worker = grid_worker_register(
        person=make_person(world.grid_a, "吴桂英", phone="13911112222"),
        public_phone="05317620001",
    )
    grid_worker_assign(worker=worker, grid=world.grid_a, started_on=datetime.date(2025, 1, 1))
    former = grid_worker_register(person=make_person(world.grid_a, "前任甲"))
    assignment = grid_worker_assign(
        worker=former, grid=world.grid_a, started_on=datetime.date(2024, 1, 1)
    )
    from grids.services.workers import grid_worker_unassign

    grid_worker_unassign(assignment=assignment, ended_on=datetime.date(2024, 12, 31))
    household = Household.objects.create(
        grid=world.grid_a,
        building="3号楼",
        entrance="2单元",
        room="301",
        address="花园社区3号楼2单元301室",
        head_name="贾宝玉",
        head_phone="13677778888",
        head_id_number="11010519491231002X",
        note="独居",
    )
    VisitLog.objects.create(
        household=household,
        grid=world.grid_a,
        worker=world.worker_a,
        observed="家中漏水严重",
        demands="请求维修屋顶",
        visited_at=timezone.now(),
    )
    world.profile = grid_profile_for(world.grid_a)
    world.profile.boundary = "兴丰花园1-6号楼"
    world.profile.save()
    return world


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


def test_poster_is_for_staff_in_scope(client, grid):
    url = reverse("grids:grid-poster", args=[grid.grid_a.pk])
    assert client.get(url).status_code == 302  # anonymous: to sign in

    client.force_login(grid.staff_b)
    assert client.get(url).status_code == 404
    client.force_login(grid.worker_b)
    assert client.get(url).status_code == 404

    client.force_login(grid.secretary_a)
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and "吴桂英" in html
    assert "http://testserver" + grid.profile.get_public_url() in html
    assert "贾宝玉" not in html


def test_poster_of_a_grid_without_profile_creates_it(client, world):
    client.force_login(world.staff_a)
    assert not GridProfile.objects.filter(grid=world.grid_a2).exists()
    response = client.get(reverse("grids:grid-poster", args=[world.grid_a2.pk]))
    assert response.status_code == 200
    assert GridProfile.objects.filter(grid=world.grid_a2).exists()


def test_grid_pages_refuse_units_that_are_not_grids(client, world):
    client.force_login(world.staff_a)
    for name in ("grids:grid-detail", "grids:grid-poster", "grids:grid-edit"):
        assert client.get(reverse(name, args=[world.community_a.pk])).status_code == 404


def test_the_qr_code_uses_the_public_address_when_set(client, settings, world):
    settings.SHANZHI_PUBLIC_BASE_URL = "https://shanzhi.example.gov.cn/"
    profile = grid_profile_for(world.grid_a)
    response = client.get(reverse("grids:public-grid-qr", args=[profile.public_token]))
    assert response.status_code == 200
    assert public_url(None, profile) == (
        f"https://shanzhi.example.gov.cn/grids/g/{profile.public_token}/"
    )


def test_the_poster_warns_when_no_public_address_is_set(client, settings, grid):
    client.force_login(grid.secretary_a)
    url = reverse("grids:grid-poster", args=[grid.grid_a.pk])
    settings.SHANZHI_PUBLIC_BASE_URL = ""
    html = client.get(url).content.decode()
    assert 'data-testid="no-public-base-url"' in html and "SHANZHI_PUBLIC_BASE_URL" in html
    # The code scales to its box (a viewBox, no fixed size), so it is drawn centred in it.
    svg = html[html.index("<svg") : html.index(">", html.index("<svg"))]
    assert "viewBox" in svg and "width=" not in svg
    settings.SHANZHI_PUBLIC_BASE_URL = "https://shanzhi.example.gov.cn"
    assert 'data-testid="no-public-base-url"' not in client.get(url).content.decode()


def test_the_worker_home_links_to_their_public_page_and_poster(client, grid):
    client.force_login(grid.worker_a)
    home = client.get(reverse("governance:home")).content.decode()
    page = reverse("grids:grid-public-page", args=[grid.grid_a.pk])
    assert page in home and reverse("grids:grid-poster", args=[grid.grid_a.pk]) in home
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"] == grid.profile.get_public_url()
    client.force_login(grid.worker_b)
    assert client.get(page).status_code == 404
