"""Playwright journeys run in Debian's chromium: Playwright cannot download its own browsers here.

Run with `make test-browser` (pytest -m browser). A missing chromium is a failure, not a skip,
so that CI cannot pass without having run the journeys.
"""

import io
import sqlite3
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DEMO_PASSWORD = "shanzhi-demo"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium fonts-wqy-microhei")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker):
    """The demo seeded once per session and kept in a private in-memory SQLite copy.

    Seeding every app's demo takes minutes; restoring the copy with SQLite's backup API takes
    a moment, so each journey still starts from the same fresh demo. On other databases each
    journey seeds its own (None here).
    """
    if connection.vendor != "sqlite":
        yield None
        return
    # The tests' fast hasher (root conftest), which a session fixture does not get by itself.
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=hashers):
        call_command("seed_demo", stdout=io.StringIO())
        connection.ensure_connection()
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        call_command("flush", interactive=False, verbosity=0)
    yield copy
    copy.close()


@pytest.fixture
def demo(transactional_db, demo_snapshot):
    """The demo of `make run`, written into the database the live server reads."""
    if demo_snapshot is None:
        call_command("seed_demo", stdout=io.StringIO())
        return
    connection.ensure_connection()
    demo_snapshot.backup(connection.connection)
    # Content types are cached by id; the flush after the previous test re-created them.
    ContentType.objects.clear_cache()


@pytest.fixture
def screenshot_dir() -> Path:
    path = settings.VAR_DIR / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def open_context(browser):
    """Open a browser context (a fresh profile) with the given options; closed after the test."""
    contexts = []

    def open_(**options):
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def sign_in(live_server):
    def sign_in_(page, username: str) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")

    return sign_in_
