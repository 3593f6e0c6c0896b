"""A township's staff member records a project milestone as done; the project's progress and
the township's economy figures move."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from economy.figures import figures
from economy.models import Milestone, Project
from governance.models import Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"viewport": {"width": 1366, "height": 900}}


def test_township_staff_marks_a_milestone_done(
    demo, open_context, sign_in, live_server, screenshot_dir
):
    township = Unit.objects.get(
        name="凤城街道", depth=2, path__startswith=Unit.objects.get(name="莱芜区").path
    )
    year = timezone.localdate().year
    project = Project.objects.get(owner_unit=township, name="凤城街道社区物业服务提升项目")
    before = project.progress
    assert before < 100  # the demo leaves work to do
    figures_before = figures(township, year).project_progress
    leaf = next(
        m
        for m in Milestone.objects.filter(project=project, children__isnull=True).order_by(
            "due_on", "pk"
        )
        if m.progress < 100
    )

    page = open_context(**DESKTOP).new_page()
    sign_in(page, "fengcheng_staff")
    page.goto(f"{live_server.url}/economy/?unit={township.pk}&year={year}")
    shown = Decimal(page.get_by_test_id("fig-progress").inner_text().rstrip("%"))
    assert shown == figures_before
    page.get_by_test_id("fig-projects").click()
    page.get_by_role("link", name=project.name).click()
    expect(page.get_by_test_id("project-progress")).to_be_visible()
    page.screenshot(path=screenshot_dir / "economy_project_before.png", full_page=True)

    progress_before = page.get_by_test_id("project-progress").inner_text()
    row = page.get_by_test_id("milestone").filter(has_text=leaf.name)
    row.get_by_test_id("milestone-done").click()
    expect(
        page.get_by_test_id("milestones").get_by_test_id("milestone").filter(has_text=leaf.name)
    ).to_contain_text("100%")
    project.refresh_from_db()
    assert project.progress > before
    expect(page.get_by_test_id("milestones-progress")).not_to_have_text(f"{before:.2f}%")
    # The progress above the tree moved too (swapped out of band).
    shown = page.get_by_test_id("project-progress")
    expect(shown).to_have_count(1)
    expect(shown).not_to_have_text(progress_before)
    assert Decimal(shown.inner_text().rstrip("%")) == project.progress
    page.screenshot(path=screenshot_dir / "economy_project_after.png", full_page=True)

    # The township's figures moved with it.
    page.goto(f"{live_server.url}/economy/?unit={township.pk}&year={year}")
    after = figures(township, year).project_progress
    assert after > figures_before
    page.screenshot(path=screenshot_dir / "economy_figures.png", full_page=True)
    assert Decimal(page.get_by_test_id("fig-progress").inner_text().rstrip("%")) == after
