import os

import pytest
from django.conf import settings


@pytest.fixture
def redis_url() -> str:
    """The Redis the settings point at; skips without one, unless services are required.

    CI sets SHANZHI_REQUIRE_SERVICES=1 in its PostgreSQL + Redis phase, so that a missing
    REDIS_URL fails there instead of passing silently as a skip.
    """
    if not settings.REDIS_URL:
        if os.environ.get("SHANZHI_REQUIRE_SERVICES") == "1":
            pytest.fail("SHANZHI_REQUIRE_SERVICES=1 but REDIS_URL is not set.")
        pytest.skip("REDIS_URL is not set.")
    return settings.REDIS_URL
