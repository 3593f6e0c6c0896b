"""Every import of the product reads uploads the one safe way (governance.excel): the probe's
crafted files are refused with a message, quickly and in little memory, never a 500."""

import io
import tracemalloc

import pytest
from django.utils import translation

from governance.excel import SheetError
from governance.tests.test_excel import NS, crafted, far_cell, inline, many_rows


def _ledger(data):
    from governance.ledger.resources import ItemImporter

    return ItemImporter(None, ledger=None).read(data)


def _households(data):
    from grids.resources import HouseholdImporter

    return HouseholdImporter(None).run(data, dry_run=True)


def _venues(data):
    from venues.resources.sites import VenueImporter

    return VenueImporter(None).read(data)


def _venue_activities(data):
    from venues.resources.activities import ActivityImporter

    return ActivityImporter(None).read(data)


def _training_signin(data):
    from teams.resources import SignInImporter

    return SignInImporter(None, session=None).run(data, dry_run=True)


def _economy(data):
    from economy.resources.incomes import IncomeSheet

    return IncomeSheet(None).run(data, dry_run=True)


def _duties(data):
    from outreach.resources.duties import DutyImporter

    return DutyImporter(None).run(data, dry_run=True)


def _contact_activities(data):
    from outreach.resources.contacts import ContactImporter

    return ContactImporter(None).run(data, dry_run=True)


def _dual_registers(kind):
    def read(data):
        from outreach.resources import dual

        return getattr(dual, kind)(None).run(data, dry_run=True)

    read.__name__ = f"_dual_{kind}"
    return read


def _property_registers(kind):
    def read(data):
        from outreach.resources import property as red

        return getattr(red, kind)(None, district=None).run(data, dry_run=True)

    read.__name__ = f"_property_{kind}"
    return read


def _admin(data):
    from governance.resources import XLSX

    return XLSX().create_dataset(data)


READERS = [
    _ledger,
    _households,
    _venues,
    _venue_activities,
    _training_signin,
    _economy,
    _duties,
    _contact_activities,
    _dual_registers("WorkUnitImporter"),
    _dual_registers("MemberImporter"),
    _dual_registers("ProjectImporter"),
    _property_registers("CompanyImporter"),
    _property_registers("EstateImporter"),
    _admin,
]


def refusal(read, data) -> str:
    """The message the import shows for `data`; "" when it read the file."""
    try:
        outcome = read(data)
    except SheetError as error:
        return str(error)
    problems = getattr(outcome, "problems", None) or getattr(outcome, "errors", None) or []
    return " ".join(str(p.reason if hasattr(p, "reason") else p[2]) for p in problems)


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.mark.parametrize("read", READERS)
def test_a_huge_declared_dimension_takes_little_memory(read):
    # The probe's 4.9 KB file declared A1:XFD5000 and took a worker from 158 MB to 1.4 GB;
    # 1,000 rows of it cost the old readers ~130 MB.
    data = far_cell("A1:XFD1000", 1000)
    tracemalloc.start()
    try:
        refusal(read, data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10 * 1024 * 1024


@pytest.mark.parametrize("read", READERS)
def test_the_whole_sheet_declared_is_refused(read):
    assert "行" in refusal(read, far_cell("A1:XFD1048576", 1_048_576))


@pytest.mark.parametrize("read", READERS)
def test_a_document_type_declaration_is_refused_with_a_message(read):
    data = crafted(
        f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaa">]><worksheet {NS}>'
        f'<sheetData><row r="1">{inline("A1", "&a;")}</row></sheetData></worksheet>'.encode()
    )
    assert "Excel" in refusal(read, data)


@pytest.mark.parametrize("read", READERS)
def test_a_hundred_thousand_rows_are_refused_at_the_cap(read):
    assert "行" in refusal(read, many_rows(100_000))


TEMPLATES = [
    ("venues:venue-import", "venues.resources.sites", "COLUMNS"),
    ("venues:activity-import", "venues.resources.activities", "COLUMNS"),
    ("outreach:duty-import", "outreach.resources.duties", "COLUMNS"),
    ("outreach:activity-import", "outreach.resources.contacts", "COLUMNS"),
    ("outreach:dual-unit-import", "outreach.resources.dual", "UNIT_COLUMNS"),
    ("outreach:dual-member-import", "outreach.resources.dual", "MEMBER_COLUMNS"),
    ("outreach:dual-project-import", "outreach.resources.dual", "PROJECT_COLUMNS"),
    ("outreach:property-estate-import", "outreach.resources.property", "ESTATE_COLUMNS"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("url, module, columns", TEMPLATES)
def test_every_import_page_offers_a_blank_template(client, django_user_model, url, module, columns):
    import importlib

    from django.urls import reverse
    from openpyxl import load_workbook

    expected = getattr(importlib.import_module(module), columns)
    expected = list(expected.values() if isinstance(expected, dict) else expected)
    client.force_login(django_user_model.objects.create_superuser("root", password="x"))
    assert 'href="?template=1"' in client.get(reverse(url)).content.decode()
    response = client.get(reverse(url), {"template": 1})
    assert response.status_code == 200
    assert "（模板）.xlsx" in __import__("urllib.parse").parse.unquote(
        response["Content-Disposition"]
    )
    data = b"".join(response.streaming_content) if response.streaming else response.content
    assert [c.value for c in next(load_workbook(io.BytesIO(data)).active.iter_rows())] == expected
