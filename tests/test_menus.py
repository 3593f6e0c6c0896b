"""The menu of every role: grouped, short, and every entry opens a page that works for the
role (issue 14, item 8). The accounts are those of `world`, one per role of the demo."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ACCOUNTS = (
    "district_admin",
    "leader",
    "staff_a",
    "secretary_a",
    "worker_a",
    "handler",
    "other_admin",
)


def menu(client) -> list[str]:
    page = client.get(reverse("governance:home")).content.decode()
    nav = re.search(r'<nav class="mainnav".*?</nav>', page, re.S).group(0)
    return re.findall(r'<a href="([^"]+)"', nav)


@pytest.fixture
def root(django_user_model):
    return django_user_model.objects.create_superuser("root", password="pw-test-123")


@pytest.mark.parametrize("account", [*ACCOUNTS, "root"])
def test_every_menu_entry_opens_a_page(client, world, root, account):
    user = root if account == "root" else getattr(world, account)
    client.force_login(user)
    entries = menu(client)
    assert entries
    for url in entries:
        response = client.get(url, follow=True)
        assert response.status_code == 200, (account, url, response.status_code)


@pytest.mark.parametrize(
    ("account", "most"),
    [("handler", 6), ("worker_a", 6), ("leader", 12), ("staff_a", 22), ("secretary_a", 20)],
)
def test_each_role_sees_the_menu_of_its_work(client, world, account, most):
    client.force_login(getattr(world, account))
    assert len(menu(client)) <= most


def test_the_department_sees_its_queue_not_the_villages_economy(client, world):
    client.force_login(world.handler)
    entries = menu(client)
    assert reverse("ledger:item-list") in entries
    for url_name in ("economy:figures", "grids:household-list", "venues:venue-list"):
        assert reverse(url_name) not in entries


def test_the_menu_is_grouped(client, world):
    client.force_login(world.staff_a)
    page = client.get(reverse("governance:home")).content.decode()
    nav = re.search(r'<nav class="mainnav".*?</nav>', page, re.S).group(0)
    groups = re.findall(r'<details class="navgroup"', nav)
    assert 3 <= len(groups) <= 6


def test_a_short_menu_is_plain_links(client, world):
    client.force_login(world.worker_a)
    page = client.get(reverse("governance:home")).content.decode()
    nav = re.search(r'<nav class="mainnav".*?</nav>', page, re.S).group(0)
    assert "navgroup" not in nav and reverse("grids:visit-list") in nav
