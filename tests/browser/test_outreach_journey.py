"""A township official files a heart-to-heart talk on a phone; the duty turns to done; the
problem raised is in the ledger."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from governance.models import LedgerItem, Unit
from outreach.models import LiaisonDuty
from outreach.services.contacts import CONTACT_LEDGER_NAME
from outreach.services.duties import duty_assign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}  # fmt: skip
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
PROBLEM = "独居老人家中燃气灶老化"


def test_a_township_official_files_a_talk_and_the_duty_turns_to_done(
    demo, open_context, sign_in, live_server, screenshot_dir
):
    staff = get_user_model().objects.get(username="fengcheng_staff")
    township = staff.person.unit
    covered = set(
        LiaisonDuty.objects.filter(holder=staff.person, ends_on__isnull=True).values_list(
            "target_unit", flat=True
        )
    )
    village = Unit.objects.filter(parent=township).exclude(pk__in=covered).order_by("path").first()
    # A duty that starts today: nothing done yet this period.
    duty = duty_assign(
        holder=staff.person, actor=None, starts_on=timezone.localdate(), target_unit=village
    )

    page = open_context(**PHONE).new_page()
    # Filing writes the activity, its duty contacts and a ledger item: give a busy machine time.
    page.set_default_timeout(60_000)
    sign_in(page, "fengcheng_staff")
    panel = page.get_by_test_id("holder-panel")
    expect(panel).to_contain_text(village.name)
    panel.get_by_test_id("file-activity").click()

    # Choosing the unit reloads the form for it (htmx); fill it in once it has arrived.
    page.get_by_test_id("unit-select").select_option(str(village.pk))
    expect(page.locator(f"#activity-form-wrap[data-unit='{village.pk}']")).to_be_visible()
    page.get_by_test_id("system-talk").click()
    form = page.get_by_test_id("activity-form")
    form.locator("[name=people_reached]").fill("2")
    form.locator("[name=summary]").fill("到独居老人家中谈心，了解生活和安全情况。")
    form.locator("[name=problems]").fill(PROBLEM)
    page.screenshot(path=screenshot_dir / "outreach_activity_form.png", full_page=True)
    with page.expect_navigation():
        form.get_by_test_id("file-activity").click()
    expect(page.locator(".form-errors")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/outreach/activities/\d+/$"))
    item = LedgerItem.objects.get(title=PROBLEM)
    expect(page.locator(".message")).to_contain_text(item.number)
    expect(page.get_by_test_id("activity-problems")).to_contain_text(PROBLEM)
    page.screenshot(path=screenshot_dir / "outreach_activity_filed.png", full_page=True)

    assert item.source == "contact_activity" and item.unit == village
    assert item.ledger.name == CONTACT_LEDGER_NAME

    # The duty matrix of the village: the duty is done, with one contact.
    desk = open_context(**DESKTOP).new_page()
    desk.set_default_timeout(60_000)
    sign_in(desk, "fengcheng_staff")
    desk.goto(f"{live_server.url}/outreach/duties/?unit={village.pk}")
    row = desk.locator(f"[data-testid=duty-row][data-duty='{duty.pk}']")
    expect(row.locator("[data-status]")).to_have_attribute("data-status", "done")
    expect(row.get_by_test_id("contacts")).to_have_text("1")
    desk.screenshot(path=screenshot_dir / "outreach_duty_matrix.png", full_page=True)

    # The problem is in the ledger.
    desk.goto(f"{live_server.url}/ledger/items/?q={PROBLEM}")
    expect(desk.get_by_role("link", name=item.number)).to_be_visible()
