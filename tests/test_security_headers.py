"""Content-Security-Policy, Permissions-Policy and no caching of signed-in pages; no template
holds script the policy would block."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

# Every template folder the project names (templates/ and governance/ledger/templates/).
TEMPLATE_DIRS = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"javascript:", re.I)
INLINE_STYLE = re.compile(r"<style\b[^>]*>|\sstyle\s*=\s*[\"'][^\"']*[\"']", re.I)
#: The ground floor's templates, already free of inline styles (their CSS is in static/css/).
GROUND_FLOOR = ("base.html", "governance", "dashboards", "registration")


def _directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def test_signed_in_pages_carry_the_policies_and_are_not_cached(client, world):
    client.force_login(world.staff_a)
    response = client.get(reverse("governance:home"))
    assert response.status_code == 200
    csp = _directives(response)
    assert csp["script-src"] == "'self'"
    assert csp["object-src"] == "'none'" and csp["frame-ancestors"] == "'none'"
    assert "geolocation=(self)" in response["Permissions-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Cache-Control"] == "private, no-store"


def test_public_pages_carry_the_policies_and_keep_their_caching(client):
    response = client.get(reverse("login"))
    assert _directives(response)["script-src"] == "'self'"
    response = client.get(reverse("governance:healthz"))  # anonymous: left to the view
    assert "Cache-Control" not in response


def test_no_template_holds_inline_script():
    offenders = []
    for path in sorted(p for d in TEMPLATE_DIRS for p in d.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, JAVASCRIPT_URL):
            offenders += [
                f"{path.relative_to(settings.BASE_DIR)}: {m[0]}" for m in pattern.finditer(text)
            ]
    assert not offenders, offenders


def _relative(path: Path) -> Path:
    return next(path.relative_to(d) for d in TEMPLATE_DIRS if path.is_relative_to(d))


def _inline_styles(paths) -> list[str]:
    return [
        f"{_relative(path)}: {m[0]}"
        for path in sorted(paths)
        for m in INLINE_STYLE.finditer(path.read_text(encoding="utf-8"))
    ]


def test_the_ground_floor_templates_hold_no_inline_style():
    paths = [TEMPLATE_DIRS[0] / "base.html"]
    for folder in GROUND_FLOOR[1:]:
        paths += (TEMPLATE_DIRS[0] / folder).rglob("*.html")
    assert _inline_styles(paths) == []


@pytest.mark.xfail(
    strict=False,
    reason="templates of other apps still hold <style> blocks or style attributes (issue 15 "
    "moves them to static/css/). Once this passes, drop 'unsafe-inline' from style-src in "
    "governance/middleware.py, remove this mark and assert style-src is 'self' here.",
)
def test_no_template_holds_inline_style():
    """The list of what is left is the failure message."""
    assert _inline_styles(p for d in TEMPLATE_DIRS for p in d.rglob("*.html")) == []
