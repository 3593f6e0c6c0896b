"""Journeys through the demo in a real browser, on the devices people use."""

import re

import pytest
from playwright.sync_api import expect

from governance.models import Membership, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3,
         "is_mobile": True, "has_touch": True}  # fmt: skip
DESKTOP = {"viewport": {"width": 1366, "height": 900}}


def test_grid_worker_sees_their_grid_on_a_phone(demo, open_context, sign_in, screenshot_dir):
    grid = Membership.objects.get(user__username="wanggeyuan", role=Role.GRID_WORKER).unit
    page = open_context(**PHONE).new_page()

    sign_in(page, "wanggeyuan")

    expect(page).to_have_title(re.compile("善治"))
    expect(page.get_by_test_id("my-grids")).to_contain_text(grid.name)
    expect(page.get_by_test_id("my-grids")).to_contain_text(grid.parent.name)
    # Nothing wider than the phone: no sideways scrolling in a stairwell.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=screenshot_dir / "grid_worker_home.png", full_page=True)


def test_district_admin_expands_the_tree(demo, open_context, sign_in, live_server,
                                         screenshot_dir):  # fmt: skip
    page = open_context(**DESKTOP).new_page()
    sign_in(page, "laiwu_admin")

    page.goto(f"{live_server.url}/units/")

    expect(page).to_have_title(re.compile("善治"))
    tree = page.get_by_test_id("unit-tree")
    district = tree.locator("summary", has_text="莱芜区")
    expect(district).to_be_visible()
    expect(tree.get_by_role("link", name="凤城街道")).to_have_count(0)
    # Click the kind tag, not the name: the name is a link to the unit's own page.
    district.locator(".tag").click()
    expect(tree.get_by_role("link", name="凤城街道")).to_be_visible()
    expect(tree).not_to_contain_text("政和县")
    page.screenshot(path=screenshot_dir / "admin_tree.png", full_page=True)
