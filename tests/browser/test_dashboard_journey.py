"""The district leader reads the dashboard, opens a township, drills down from the overdue count
to the ledger items; the big screen refreshes its body by itself without reloading the page."""

import datetime
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from governance.models import Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"viewport": {"width": 1366, "height": 900}}
SCREEN = {"viewport": {"width": 1920, "height": 1080}}
TOWNSHIP = "凤城街道"
#: The presets tried in turn until the township has overdue items. The demo's items are dated
#: relative to today, so early in a month, quarter or year these may have none; the last resort
#: is a custom range of the past year, which always holds them.
PERIODS = ("month", "last_month", "quarter", "year")


def _number(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _charts_drawn(page) -> None:
    expect(page.locator(".chart svg").first).to_be_visible()


def _charts_finished(page) -> None:
    """Every chart drawn to the end of its animation (static/js/dashboards.js marks it)."""
    _charts_drawn(page)
    expect(page.locator(".chart:has(svg):not([data-drawn])")).to_have_count(0)


def _pdf_first_page(page, pdf: Path) -> None:
    """page.pdf() prints with the print style sheet; its first page as a PNG if poppler is here."""
    page.pdf(path=pdf, landscape=True, format="A4", print_background=True)
    if shutil.which("pdftoppm"):
        stem = pdf.with_suffix("")
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "2", str(pdf), str(stem)],
            check=True,
        )


def test_leader_opens_a_township_and_drills_down_to_the_overdue_items(
    demo, open_context, sign_in, live_server, screenshot_dir
):
    district = Unit.objects.get(name="莱芜区", depth=1)
    township = Unit.objects.get(name=TOWNSHIP, parent=district)
    shots = screenshot_dir  # for people to look at, not asserted
    page = open_context(**DESKTOP).new_page()
    sign_in(page, "laiwu_leader")

    # From the main navigation to the leader's own unit: the district.
    link = f'a[href="{reverse("dashboards:dashboard")}"]'
    entry = page.locator(f"nav.mainnav {link}")
    page.locator("nav.mainnav details.navgroup", has=page.locator(link)).locator("summary").click()
    entry.click()
    expect(entry).to_have_attribute("aria-current", "page")
    title = page.get_by_test_id("dashboard-title")
    expect(title).to_contain_text("莱芜区")
    expect(page.get_by_test_id("section-ledger")).to_be_visible()
    _charts_finished(page)
    page.screenshot(path=shots / "dashboard_district.png", full_page=True)

    # Down to one township from the switch of the units below.
    page.get_by_test_id("unit-switch").get_by_role("link", name=TOWNSHIP, exact=True).click()
    expect(title).to_contain_text(TOWNSHIP)
    expect(page).to_have_url(re.compile(rf"[?&]unit={township.pk}(&|$)"))
    # The breadcrumbs lead back up to the district.
    expect(page.locator("nav.breadcrumbs").get_by_role("link", name="莱芜区")).to_be_visible()

    # A period in which the township has overdue items.
    overdue = page.get_by_test_id("figure-ledger-overdue")
    presets = page.locator("nav.presets")
    for name in PERIODS:
        presets.locator(f'a[href$="period={name}"]').click()
        expect(presets.locator(f'a[href$="period={name}"]')).to_have_attribute(
            "aria-current", "true"
        )
        if _number(overdue.inner_text()):
            break
    else:
        today = timezone.localdate()
        first = today - datetime.timedelta(days=365)
        page.locator("form.custom-period #id_start").fill(first.isoformat())
        page.locator("form.custom-period #id_end").fill(today.isoformat())
        page.locator("form.custom-period").get_by_role("button").click()
        expect(page.get_by_test_id("period")).to_contain_text(f"{first:%Y-%m-%d}")
    count = _number(overdue.inner_text())
    assert count > 0, "the demo has no overdue items in the township in the past year"
    expect(title).to_contain_text(TOWNSHIP)
    _charts_finished(page)
    page.screenshot(path=shots / "dashboard_township.png", full_page=True)

    # The print layout (A4 landscape) of the township's dashboard.
    page.emulate_media(media="print")
    expect(page.locator("nav.presets")).to_be_hidden()  # the print style sheet applies
    page.screenshot(path=shots / "dashboard_print.png", full_page=True)
    _pdf_first_page(page, shots / "dashboard_print.pdf")
    page.emulate_media(media="screen")

    # The overdue count leads to the ledger items, exactly as many.
    overdue.click()
    expect(page).to_have_url(re.compile(r"/ledger/items/\?"))
    expect(page).to_have_url(re.compile(rf"[?&]unit={township.pk}(&|$)"))
    expect(page.get_by_test_id("item-count")).to_have_text(re.compile(rf"(^|\D){count}(\D|$)"))
    page.screenshot(path=shots / "dashboard_overdue_items.png", full_page=True)


def test_the_big_screen_refreshes_its_body_without_reloading(
    demo, open_context, live_server, sign_in, screenshot_dir
):
    district = Unit.objects.get(name="莱芜区", depth=1)
    shots = screenshot_dir  # for people to look at, not asserted
    page = open_context(**SCREEN).new_page()
    sign_in(page, "laiwu_leader")
    # A fake clock, so that the page's own "every 60s" comes at once when the test says.
    page.clock.install()
    url = f"{live_server.url}{reverse('dashboards:screen')}?unit={district.pk}&period=month"
    page.goto(url)
    screen = page.get_by_test_id("screen")
    expect(screen.locator("h1")).to_contain_text("莱芜区")
    expect(page.get_by_test_id("screen-ledger")).to_be_visible()
    _charts_drawn(page)
    page.clock.run_for(1500)  # the charts' animation
    page.screenshot(path=shots / "dashboard_big_screen.png")
    # Nothing wider or taller than the projector's screen: a big screen cannot scroll.
    size = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert size[0] <= 1920 and size[1] <= 1080

    page.evaluate(
        """() => {
            window.__marker = 1;
            document.querySelector('[data-testid=screen-when]').dataset.before = '1';
        }"""
    )
    with page.expect_response(
        lambda r: "/dashboards/screen/" in r.url and r.request.headers.get("hx-request") == "true"
    ) as refreshed:
        page.clock.fast_forward("01:01")
    assert refreshed.value.ok
    # htmx swaps and settles on timers of the fake clock too.
    page.clock.run_for(500)
    expect(page.locator("[data-testid=screen-when]:not([data-before])")).to_have_count(1)
    expect(page.locator("[data-testid=screen-when][data-before]")).to_have_count(0)
    assert page.evaluate("window.__marker") == 1  # the same page: swapped, not reloaded
    expect(page.get_by_test_id("screen")).to_have_count(1)  # swapped inside, not nested
    expect(page.get_by_test_id("screen-ledger")).to_be_visible()
    _charts_drawn(page)  # drawn again in the new body
    expect(page.locator("#dashboard-charts")).to_have_count(1)
