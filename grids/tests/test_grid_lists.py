"""Lists across several communities name each grid with its community, sort rooms as numbers,
and the grid-worker list stacks into cards on a phone (issue 14, item 27)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_township_list_names_each_grid_with_its_community(client, world, same_names):
    client.force_login(world.staff_a)
    households = client.get(reverse("grids:household-list")).content.decode()
    assert "花园社区 · 第一网格" in households and "鹏泉社区 · 第一网格" in households
    workers = client.get(reverse("grids:worker-list")).content.decode()
    assert "花园社区 · 第一网格" in workers and "鹏泉社区 · 第一网格" in workers


def test_rooms_sort_as_numbers(client, world, same_names):
    first_a, _ = same_names
    client.force_login(world.staff_a)
    page = client.get(reverse("grids:household-list"), {"grid": first_a.pk}).content.decode()
    rooms = re.findall(r"1号楼-(\d+)", page)
    assert rooms == ["2", "102", "1001"]


def test_the_worker_list_stacks_into_labelled_cards_on_a_phone(client, world, same_names):
    client.force_login(world.staff_a)
    page = client.get(reverse("grids:worker-list")).content.decode()
    table = re.search(r'<table class="([^"]+)" data-testid="workers">', page).group(1)
    assert "responsive" in table.split()
    assert page.count('data-label="') >= 2 * 5
