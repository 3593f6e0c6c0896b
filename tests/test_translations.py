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


def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    """Extract the strings afresh into a copy of the catalogue: nothing may come out empty."""
    if shutil.which("xgettext") is None:
        # CI installs GNU gettext and must run this; a laptop without it is told, not failed.
        if os.environ.get("CI"):
            pytest.fail("GNU gettext is not installed: apt-get install gettext")
        pytest.skip("needs GNU gettext (apt-get install gettext)")
    locale = tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES"
    locale.mkdir(parents=True)
    shutil.copy(PO, locale / "django.po")
    code = (
        "import django, sys; from django.conf import settings; django.setup();"
        f"settings.LOCALE_PATHS = [{str(tmp_path / 'locale')!r}];"
        "from django.core.management import call_command;"
        "call_command('makemessages', locale=['zh_Hans'], no_obsolete=True, verbosity=0,"
        " ignore_patterns=['.venv/*', 'var/*', 'staticfiles/*', 'static/vendor/*', 'tests/*'])"
    )
    subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, check=True,
                   env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings",
                        "SHANZHI_PRODUCTION": "0", "SHANZHI_VAR_DIR": str(tmp_path / "var")})
    missing = _untranslated(polib.pofile(str(locale / "django.po")))
    assert not missing, f"Untranslated strings (run `make messages` and translate): {missing}"
