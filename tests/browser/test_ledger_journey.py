"""The ledger from the reception desk to the resident's call-back, across three roles."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from governance.models import Ledger, LedgerItem, Status, Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}  # fmt: skip
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
TITLE = "7号楼顶层漏水，雨天屋内滴水"


def _resolved_figure(page, url) -> int:
    page.goto(url)
    return int(page.locator('[data-figure="resolved"]').inner_text())


def _step(page, label: str):
    """Open a step's form on the item page (one-click steps are plain buttons)."""
    actions = page.get_by_test_id("actions")
    name = re.compile(f"^{re.escape(label)}$")
    # Wait for the step's control (after a navigation or an htmx swap of the actions) before
    # asking whether it is a form behind a summary or a plain button.
    expect(actions.locator("summary, button").filter(has_text=name).first).to_be_visible()
    summary = actions.locator("summary").filter(has_text=name)
    if summary.count():
        summary.click()
        return actions.locator("details[open] form")
    return actions


def test_a_reception_day_demand_goes_to_the_department_and_back(
    demo, browser, open_context, sign_in, live_server, screenshot_dir
):
    community = Unit.objects.get(name="花园社区", parent__name="凤城街道")
    ledger = Ledger.objects.get(unit=community, kind="reception_day")
    figures_url = f"{live_server.url}/ledger/figures/?unit={community.pk}"  # this month

    # The community secretary records the demand on a phone at the reception desk.
    secretary = open_context(**PHONE).new_page()
    sign_in(secretary, "shequ_shuji")
    resolved_before = _resolved_figure(secretary, figures_url)
    secretary.goto(f"{live_server.url}/ledger/items/new/?ledger={ledger.pk}")
    secretary.fill("#id_title", TITLE)
    secretary.fill("#id_description", "顶层防水层老化，已影响两户。")
    secretary.select_option("#id_unit", str(community.pk))
    secretary.fill("#id_resident_name", "王秀兰")
    secretary.fill("#id_resident_phone", "13912345678")
    secretary.get_by_role("button", name="登记", exact=True).click()
    expect(secretary.get_by_test_id("status")).to_have_text("已登记")
    item = LedgerItem.objects.get(title=TITLE)
    # One banner says so, once (issue 14, item 25).
    expect(secretary.locator(".message")).to_have_count(1)
    expect(secretary.locator("#messages")).to_contain_text(f"事项 {item.number} 已登记")
    secretary.screenshot(path=screenshot_dir / "ledger_registered_message.png")
    assert item.due_at is None  # a reception-day demand gets its deadline at the weekly review

    # At the weekly review the community sets measures and a deadline, row by row (htmx).
    secretary.goto(f"{live_server.url}/ledger/review/weekly/{community.pk}/")
    row = secretary.locator(f"#review-item-{item.pk}")
    row.get_by_label("工作措施").fill("联系区住建局维修基金，更换顶层防水")
    due_on = timezone.localdate() + datetime.timedelta(days=14)  # a deadline ahead, any day
    row.get_by_label("完成期限").fill(due_on.isoformat())
    row.get_by_role("button", name="保存").click()
    expect(secretary.locator(f"#review-item-{item.pk}")).to_contain_text("已研究")
    secretary.screenshot(path=screenshot_dir / "ledger_weekly_review.png", full_page=True)

    # It needs the housing department: hand it over from the item's page.
    secretary.goto(f"{live_server.url}/ledger/items/{item.pk}/")
    form = _step(secretary, "转交职能部门")
    form.locator("select[name=department]").select_option(label="区住建局")
    form.locator("textarea[name=note]").fill("需动用维修基金，请住建局协调")
    form.get_by_role("button", name="转交职能部门").click()
    expect(secretary.get_by_test_id("status")).to_have_text("已转职能部门")
    # The htmx step replaced the registration's banner with its own.
    expect(secretary.locator(".message")).to_have_count(1)
    expect(secretary.locator("#messages")).to_contain_text("已完成：转交职能部门")
    secretary.screenshot(path=screenshot_dir / "ledger_step_message.png")
    # The community that handed it over urges the department (催办, item 29).
    form = _step(secretary, "催办")
    form.locator("textarea[name=note]").fill("群众再次来电，请加快")
    form.get_by_role("button", name="催办").click()
    expect(secretary.locator("#messages")).to_contain_text("已完成：催办")
    expect(secretary.get_by_test_id("timeline")).to_contain_text("群众再次来电，请加快")

    # The department's handler finds it in the queue, accepts and resolves it.
    handler = open_context(**DESKTOP).new_page()
    sign_in(handler, "zhujianju")
    # The department was told at once (issue 14, item 5).
    expect(handler.get_by_test_id("unread-count")).to_be_visible()
    handler.goto(f"{live_server.url}/notifications/")
    expect(handler.get_by_test_id("notifications")).to_contain_text(
        f"{item.number}“{TITLE}”已移交区住建局"
    )
    expect(handler.get_by_test_id("notifications")).to_contain_text(f"催办：{item.number}")
    handler.goto(f"{live_server.url}/ledger/queue/")
    handler.get_by_test_id("queue-filters").locator("input[name=q]").fill(item.number)
    expect(handler.get_by_test_id("item-count")).to_have_text("共 1 项")
    handler.screenshot(path=screenshot_dir / "ledger_department_queue.png", full_page=True)
    handler.get_by_role("link", name=TITLE).click()
    _step(handler, "受理").get_by_role("button", name="受理", exact=True).click()
    expect(handler.get_by_test_id("status")).to_have_text("已受理")
    form = _step(handler, "办结")
    form.locator("textarea[name=result]").fill("已更换顶层防水层，雨天复查无渗漏")
    form.get_by_role("button", name="办结", exact=True).click()
    expect(handler.get_by_test_id("status")).to_have_text("已办结待核实")

    # The secretary verifies it and records the resident's satisfaction.
    secretary.goto(f"{live_server.url}/ledger/items/{item.pk}/")
    _step(secretary, "核实").get_by_role("button", name="核实", exact=True).click()
    expect(secretary.get_by_test_id("status")).to_have_text("已核实待回访")
    form = _step(secretary, "登记满意度")
    form.get_by_label("满意", exact=True).check()
    form.get_by_role("button", name="登记满意度").click()
    expect(secretary.get_by_test_id("status")).to_have_text("已关闭")
    expect(secretary.get_by_test_id("timeline")).to_contain_text("区住建局")
    secretary.screenshot(path=screenshot_dir / "ledger_item_closed.png", full_page=True)

    item.refresh_from_db()
    assert item.status == Status.CLOSED and item.satisfaction == "satisfied"
    # The community's figures count the item as resolved.
    assert _resolved_figure(secretary, figures_url) == resolved_before + 1
    expect(secretary).to_have_title(re.compile("善治"))
