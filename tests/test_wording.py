"""Words (issue 14, item 30): one word for one thing, units on figures, full-width colons in
Chinese labels, Chinese seed output, and a person not called a unit."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

BASE_DIR = Path(settings.BASE_DIR)


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def test_the_weekly_preview_never_says_this_week_for_whatever_week_it_shows():
    # The reminder asks to publish *next* week's preview and links to that week's page.
    for msgid in (
        "Publish the preview of this week",
        "Not yet: the week's preview is a draft",
        "No activities published for this week yet.",
        "Weekly activity preview",
    ):
        assert "本周" not in gettext(msgid), msgid
    poster = (BASE_DIR / "templates/venues/public/week_poster.html").read_text()
    assert "Activities of the week" not in poster


def test_making_a_preview_or_a_ranking_public_is_always_gongbu():
    for msgid in (
        "Published",
        "This ranking is already published.",
        "This ranking is not published.",
        "The ranking is published on its public page.",
        "Publish (names and ranks only)",
        "Draft: not yet public",
        "published at",
    ):
        assert "发布" not in gettext(msgid), msgid


def test_weekly_hours_say_hours():
    for msgid in ("Hours per week", "Staffed hours per week, all venues", "Mean per venue"):
        assert "小时" in gettext(msgid), msgid


def test_chinese_labels_end_in_a_full_width_colon():
    label_then_colon = re.compile(r"""\{% translate ["'][^"']*[^:]["'] %\}:""")
    offenders = [
        f"{path.relative_to(BASE_DIR)}: {match}"
        for folder in settings.TEMPLATES[0]["DIRS"]
        for path in Path(folder).rglob("*.html")
        for match in label_then_colon.findall(path.read_text())
    ]
    assert offenders == []
    assert gettext("Deadline:").endswith("：")


def test_every_demo_seeder_reports_in_chinese():
    for path in BASE_DIR.glob("*/demo*.py"):
        for line in re.findall(r"stdout\.write\(\s*f?\"([^\"]*)", path.read_text()):
            assert re.search(r"[\u4e00-\u9fff]", line), f"{path.name}: {line}"


def test_the_reception_list_names_the_person_who_received():
    assert gettext("Held by") == "接待人"


@pytest.mark.django_db
def test_the_dashboard_export_starts_with_the_section(client, world):
    client.force_login(world.leader)
    response = client.get(reverse("dashboards:export"))
    sheet = load_workbook(io.BytesIO(b"".join(response))).worksheets[0]
    headers = [c.value for row in sheet.iter_rows(max_col=1) for c in row]
    assert "板块" in headers and "片区" not in headers
