"""A street's staff member scores a community's workers for the month on one sheet, and the
half-year ranking of the street follows."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from governance.models import Unit
from teams.models import CommunityWorker, MonthlyScore, Ranking
from teams.rules import half_of, month_start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"viewport": {"width": 1366, "height": 900}}


def _entry_score(page, name: str) -> str | None:
    """The worker's score on the ranking page, None while they have none this half year."""
    expect(page.get_by_test_id("ranking")).to_be_visible()
    row = page.locator(f"[data-testid=ranking] tr[data-worker='{name}']")
    return row.locator("td").nth(3).inner_text() if row.count() else None


def test_township_staff_scores_the_month_and_the_ranking_updates(
    demo, open_context, sign_in, live_server, screenshot_dir
):
    community = Unit.objects.get(name="花园社区", parent__name="凤城街道")
    township = community.parent
    workers = list(
        CommunityWorker.objects.filter(community=community, is_active=True)
        .select_related("person")
        .order_by("person__name", "pk")
    )
    assert len(workers) >= 3
    month = month_start(timezone.localdate())
    assert not MonthlyScore.objects.filter(worker__community=community, month=month).exists()
    star = workers[-1]

    page = open_context(**DESKTOP).new_page()
    sign_in(page, "fengcheng_staff")
    page.goto(f"{live_server.url}/teams/ranking/{township.pk}/")
    # The demo scores finished months only: in January and July the half year has no score yet.
    before = _entry_score(page, star.person.name)

    # The sheet of the current month: one row per worker, one column per criterion.
    page.goto(f"{live_server.url}/teams/scores/{community.pk}/?month={month:%Y-%m}")
    sheet = page.get_by_test_id("score-sheet")
    expect(page.get_by_test_id("month")).to_have_text(f"{month:%Y-%m}")
    rows = sheet.locator("tbody tr")
    expect(rows).to_have_count(len(workers))
    for index in range(len(workers)):
        row = rows.nth(index)
        top = row.get_attribute("data-worker") == star.person.name
        inputs = row.locator("input[type=number]")
        for cell in range(inputs.count()):
            field = inputs.nth(cell)
            full = field.get_attribute("max")
            field.fill(full if top else str(int(float(full) * 0.6)))
    page.screenshot(path=screenshot_dir / "teams_score_sheet.png", full_page=True)
    sheet.get_by_test_id("save-scores").click()
    expect(page.locator(".messages")).to_contain_text("已保存")
    expect(sheet.locator(f"tr[data-worker='{star.person.name}'] td.total")).to_have_text("100.0")

    # Every worker has this month's score; the ranking of the street follows at once.
    assert MonthlyScore.objects.filter(worker__community=community, month=month).count() == len(
        workers
    )
    page.get_by_test_id("ranking-link").click()
    ranking = Ranking.objects.get(unit=township, year=month.year, half=half_of(month))
    entry = ranking.entries.get(worker=star)
    expect(page).to_have_url(re.compile(rf"/teams/ranking/{township.pk}/"))
    after = _entry_score(page, star.person.name)
    assert after == f"{entry.score}" and after != before
    expect(
        page.locator(f"[data-testid=ranking] tr[data-worker='{star.person.name}'] td").first
    ).to_have_text(re.compile(rf"^{entry.rank}$"))
    page.screenshot(path=screenshot_dir / "teams_ranking.png", full_page=True)
