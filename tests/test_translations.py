"""Every UI string has its Simplified Chinese translation, and the compiled catalogue is current."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _untranslated(po) -> list[str]:
    return [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]


def test_the_catalogue_has_no_gaps():
    assert not _untranslated(polib.pofile(str(PO)))


def test_the_compiled_catalogue_matches_the_sources():
    compiled = polib.mofile(str(PO.with_suffix(".mo")))
    source = {e.msgid: e.msgstr for e in polib.pofile(str(PO)) if e.msgstr}
    assert {e.msgid: e.msgstr for e in compiled if e.msgstr and e.msgid in source} == source


# Source trees to extract strings from (everything but tests, which have no UI strings).
SOURCES = (
    "config",
    "governance",
    "grids",
    "outreach",
    "venues",
    "economy",
    "teams",
    "dashboards",
    "templates",
)


def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    """Extract the strings afresh into a copy of the project: nothing may come out empty.

    makemessages writes into the `locale` folder beside the sources, so it runs on a copy;
    the real catalogue is never touched by the test.
    """
    if shutil.which("xgettext") is None:
        # CI installs GNU gettext and must run this; a laptop without it is told, not failed.
        if os.environ.get("CI"):
            pytest.fail("GNU gettext is not installed: apt-get install gettext")
        pytest.skip("needs GNU gettext (apt-get install gettext)")
    base = Path(settings.BASE_DIR)
    for name in SOURCES:
        if (base / name).is_dir():
            shutil.copytree(
                base / name,
                tmp_path / name,
                ignore=shutil.ignore_patterns("__pycache__", "tests", "*.mo"),
            )
    (tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(PO, tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    shutil.copy(base / "manage.py", tmp_path / "manage.py")
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-obsolete",
            "--verbosity",
            "0",
        ],
        cwd=tmp_path,
        check=True,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SHANZHI_PRODUCTION": "0",
            "SHANZHI_VAR_DIR": str(tmp_path / "var"),
        },
    )
    missing = _untranslated(polib.pofile(str(tmp_path / "locale/zh_Hans/LC_MESSAGES/django.po")))
    assert not missing, f"Untranslated strings (run `make messages` and translate): {missing}"
