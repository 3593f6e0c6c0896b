"""A grid worker's round in a stairwell: three taps for a routine visit, a problem raised."""

import re

import pytest
from playwright.sync_api import expect

from governance.models import LedgerItem, Membership, Role
from grids.coverage import current_round, unit_coverage
from grids.models import VisitLog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}  # fmt: skip
DESKTOP = {"viewport": {"width": 1366, "height": 900}}


def _pick_unvisited(page, left: int, filed: set[str]) -> None:
    """Tick "not visited this round" and open the first household of the list htmx brings back
    that this journey has not filed yet.

    The tick swaps the list in the background: until the new list has arrived, the first pick on
    the page is the unfiltered list's (which may be the household just visited). So wait for the
    filtered list itself: the filter in the address, `left` households, none of them visited;
    and never pick a household filed earlier in the journey, whatever the list shows."""
    page.get_by_label("本轮未走访").check()
    expect(page).to_have_url(re.compile(r"[?&]todo=1(&|$)"))
    expect(page.get_by_test_id("household-count")).to_have_text(re.compile(rf"共 {left} 户"))
    picks = page.locator("[data-testid=household-pick]")
    expect(picks.and_(page.locator(".done"))).to_have_count(0)
    for href in filed:
        expect(page.locator(f'[data-testid=household-pick][href="{href}"]')).to_have_count(0)
    href = picks.first.get_attribute("href")
    page.locator(f'[data-testid=household-pick][href="{href}"]').click()
    expect(page).to_have_url(re.compile(re.escape(href)))
    filed.add(href)


def test_a_grid_worker_files_visits_and_the_community_sees_the_problem(
    demo, open_context, sign_in, live_server, screenshot_dir
):
    grid = Membership.objects.get(user__username="wanggeyuan", role=Role.GRID_WORKER).unit
    rnd = current_round(grid)
    before = unit_coverage(grid, rnd)
    assert before["unvisited"] >= 2  # the demo leaves work for this round

    page = open_context(**PHONE).new_page()
    sign_in(page, "wanggeyuan")
    panel = page.get_by_test_id("worker-panel")
    expect(panel).to_contain_text(grid.name)
    coverage_before = panel.get_by_test_id("coverage").inner_text()

    # Three taps: "File a visit", the household, "Visited, all well".
    filed: set[str] = set()
    panel.get_by_test_id("file-visit").click()
    _pick_unvisited(page, before["unvisited"], filed)
    page.get_by_test_id("all-well").click()
    expect(page.locator(".message")).to_contain_text("走访已填报")

    # A visit that raises a problem: the full record.
    page.goto(f"{live_server.url}/")
    page.get_by_test_id("worker-panel").get_by_test_id("file-visit").click()
    _pick_unvisited(page, before["unvisited"] - 1, filed)
    page.get_by_test_id("full-visit").locator("summary").click()
    form = page.get_by_test_id("visit-form")
    form.locator("[name=demands]").fill("单元门禁损坏，夜间陌生人进出")
    form.locator("[name=problem_title]").fill("3单元门禁损坏")
    form.locator("[name=problem_category]").select_option(label="物业服务 · 上报")
    page.screenshot(path=screenshot_dir / "grid_visit_form.png", full_page=True)
    form.get_by_test_id("file-full").click()
    expect(page.locator(".message")).to_contain_text("已报送")

    # The coverage on the worker's phone went up by the two households.
    after = unit_coverage(grid, rnd)
    assert after["visited"] == before["visited"] + 2
    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("worker-panel").get_by_test_id("coverage")).not_to_have_text(
        coverage_before
    )
    page.screenshot(path=screenshot_dir / "grid_worker_after_visits.png", full_page=True)

    # The community secretary finds the new item in the ledger, linked to the visit.
    visit = VisitLog.objects.filter(grid=grid, ledger_item__isnull=False).latest("filed_at")
    item = LedgerItem.objects.get(pk=visit.ledger_item_id)
    assert item.source == "grid_visit" and item.unit == grid
    secretary = open_context(**DESKTOP).new_page()
    sign_in(secretary, "shequ_shuji")
    secretary.goto(f"{live_server.url}/ledger/items/?q=门禁损坏")
    expect(secretary.get_by_role("link", name=item.number)).to_be_visible()
    secretary.get_by_role("link", name=item.number).click()
    expect(secretary).to_have_title(re.compile(item.number))
    expect(secretary.locator("h1")).to_contain_text("3单元门禁损坏")
