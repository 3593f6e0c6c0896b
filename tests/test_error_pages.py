"""`make run` (DEBUG=1) shows the product's Chinese 404 and 500 pages, not Django's English
debug pages, unless SHANZHI_DEBUG_PAGES=1 asks for those (issue 14, item 8)."""

import sys

import pytest
from django.test import RequestFactory
from django.views.debug import technical_500_response

from governance.middleware import ProductErrorPagesMiddleware
from tests.test_settings import run

MIDDLEWARE = "governance.middleware.ProductErrorPagesMiddleware"
CHECK = f"from django.conf import settings; print({MIDDLEWARE!r} in settings.MIDDLEWARE)"


@pytest.mark.parametrize(
    ("env", "installed"),
    [
        ({"DEBUG": "1"}, "True"),
        ({"DEBUG": "1", "SHANZHI_DEBUG_PAGES": "1"}, "False"),
        ({"DEBUG": "0", "SECRET_KEY": "x" * 50}, "False"),
    ],
)
def test_debug_runs_get_the_product_pages_unless_asked(env, installed, tmp_path):
    done = run(
        ["-c", "import django; django.setup(); " + CHECK], SHANZHI_VAR_DIR=str(tmp_path), **env
    )
    assert done.stdout.strip() == installed, done.stderr


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    settings.MIDDLEWARE = [MIDDLEWARE, *settings.MIDDLEWARE]


@pytest.mark.django_db
def test_a_missing_page_is_the_chinese_404(client, debug):
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "DEBUG = True" not in body and "该页面不存在" in body


def test_a_crash_is_the_chinese_500(debug):
    request = RequestFactory().get("/")

    def crash(request):
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            return technical_500_response(request, *sys.exc_info())

    response = ProductErrorPagesMiddleware(crash)(request)
    body = response.content.decode()
    assert response.status_code == 500 and "系统出错了" in body and "boom" not in body
