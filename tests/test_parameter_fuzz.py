"""Malformed query parameters never give a 500.

For every GET page of the URL harness, as the page's viewer, a district administrator, a grid
worker and (for public pages) an anonymous visitor: a first visit records which query parameters
the view reads; each of them is then sent alone with every malformed value, and all of them at
once. Impossible or far-off dates, weeks, months and ids too long for a bigint must end in a page
(with a message) or a 404, never in a server error — on SQLite and on PostgreSQL alike.
"""

import sys

import pytest
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import got_request_exception
from django.http import QueryDict
from django.urls import reverse

from tests.test_url_harness import CASES

pytestmark = pytest.mark.django_db

BAD_VALUES = ["2026-02-30", "9999-12-31", "0001-01-01", "9999-12", "1" * 20, "-1"]
ROLES = ["district_admin"]


class RecordingQueryDict(QueryDict):
    """A QueryDict that remembers which keys a view asked for."""

    read: set[str] = set()

    def __getitem__(self, key):
        RecordingQueryDict.read.add(key)
        return super().__getitem__(key)

    def _getlist(self, key, default=None, force_list=False):
        RecordingQueryDict.read.add(key)
        return super()._getlist(key, default, force_list)

    def __contains__(self, key):
        RecordingQueryDict.read.add(key)
        return super().__contains__(key)


@pytest.fixture
def recording_get(monkeypatch):
    def get(request):
        if "_recording_get" not in request.__dict__:
            query = request.META.get("QUERY_STRING", "")
            request.__dict__["_recording_get"] = RecordingQueryDict(
                query, encoding=request._encoding
            )
        return request.__dict__["_recording_get"]

    monkeypatch.setattr(WSGIRequest, "GET", property(get))
    RecordingQueryDict.read = set()
    return RecordingQueryDict


@pytest.fixture
def errors():
    """The exceptions behind the 500s, to say what broke."""
    seen = []

    def record(sender, request, **kwargs):
        seen.append(repr(sys.exc_info()[1])[:200])

    got_request_exception.connect(record)
    yield seen
    got_request_exception.disconnect(record)


def _fuzz(client, url, recording, errors) -> list[tuple]:
    client.raise_request_exception = False
    recording.read = set()
    client.get(url)
    names = sorted(recording.read)
    failures = []
    queries = [{name: value} for name in names for value in BAD_VALUES]
    queries += [dict.fromkeys(names, value) for value in BAD_VALUES] if len(names) > 1 else []
    for query in queries:
        response = client.get(url, query)
        if response.status_code >= 500:
            failures.append((url, query, response.status_code, errors[-1:]))
    return failures


@pytest.mark.parametrize(
    "case", [c for c in CASES.values() if not c.post_only], ids=lambda c: c.url_name
)
def test_malformed_query_parameters_never_give_a_500(client, world, recording_get, errors, case):
    url = reverse(case.url_name, kwargs=case.inside(world) or None)
    failures = []
    if case.public:
        failures += _fuzz(client, url, recording_get, errors)
    for viewer in dict.fromkeys([case.viewer, *ROLES]):
        client.force_login(getattr(world, viewer))
        failures += _fuzz(client, url, recording_get, errors)
    assert not failures, failures
