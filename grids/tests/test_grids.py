"""Staff's pages of a grid: the poster with its QR code, the way to its public page."""

import pytest
from django.urls import reverse

from grids.models import GridProfile

pytestmark = pytest.mark.django_db


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
