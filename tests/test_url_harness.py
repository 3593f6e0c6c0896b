import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.harness import Case

pytestmark = pytest.mark.django_db

EXCLUDED_NAMESPACES = {"admin"}  # Django admin: scoped and tested in governance/tests/test_admin.py


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns in EXCLUDED_NAMESPACES:
                continue
            yield from _walk(entry.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def project_url_names() -> set[str]:
    return set(_walk(get_resolver().url_patterns))


def all_cases() -> dict[str, Case]:
    cases: dict[str, Case] = {}
    for config in apps.get_app_configs():
        if not str(config.path).startswith(str(settings.BASE_DIR)):
            continue
        # <app>/tests/harness.py and any <app>/tests/harness_<part>.py
        for path in sorted((Path(config.path) / "tests").glob("harness*.py")):
            module = importlib.import_module(f"{config.name}.tests.{path.stem}")
            for case in module.CASES:
                assert case.url_name not in cases, f"{case.url_name} is described twice"
                cases[case.url_name] = case
    return cases


CASES = all_cases()


def test_every_url_is_described():
    missing = project_url_names() - set(CASES)
    assert not missing, (
        f"URLs without a harness case (add them to <app>/tests/harness.py): {missing}"
    )
    stale = set(CASES) - project_url_names()
    assert not stale, f"Harness cases for URLs that no longer exist: {stale}"


def _url(case, kwargs):
    return reverse(case.url_name, kwargs=kwargs or None)


@pytest.mark.parametrize(
    "case", [c for c in CASES.values() if not c.public], ids=lambda c: c.url_name
)
def test_anonymous_users_are_sent_to_sign_in(client, world, case):
    url = _url(case, case.inside(world))
    response = client.post(url) if case.post_only else client.get(url)
    assert response.status_code == 302, url
    assert response["Location"].startswith(reverse("login")), url


@pytest.mark.parametrize(
    "case", [c for c in CASES.values() if c.post_only], ids=lambda c: c.url_name
)
def test_post_only_urls_refuse_get(client, world, case):
    client.force_login(getattr(world, case.viewer))
    assert client.get(_url(case, case.inside(world))).status_code == 405


@pytest.mark.parametrize(
    "case", [c for c in CASES.values() if not c.post_only], ids=lambda c: c.url_name
)
def test_viewer_opens_the_page_in_scope(client, world, case):
    client.force_login(getattr(world, case.viewer))
    response = client.get(_url(case, case.inside(world)))
    assert response.status_code in (200, 302), (case.url_name, response.status_code)


@pytest.mark.parametrize("case", [c for c in CASES.values() if c.outside], ids=lambda c: c.url_name)
def test_out_of_scope_objects_are_404(client, world, case):
    client.force_login(getattr(world, case.viewer))
    url = _url(case, case.outside(world))
    response = client.post(url) if case.post_only else client.get(url)
    assert response.status_code == 404, (case.url_name, response.status_code)
