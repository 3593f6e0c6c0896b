"""Client addresses behind the proxy, throttles, and the site with its cache (Redis) down."""

import pytest
from axes.helpers import get_client_ip_address
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from django.urls import reverse

from governance.throttling import client_address, over_limit

pytestmark = pytest.mark.django_db

#: A Redis nobody listens on.
REDIS_DOWN = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }
}


def _request(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored():
    request = _request("10.0.0.2", "203.0.113.9")
    assert client_address(request) == "10.0.0.2"
    assert get_client_ip_address(request) == "10.0.0.2"


@override_settings(SHANZHI_TRUSTED_PROXIES=["10.0.0.0/24"])
def test_behind_a_trusted_proxy_the_rightmost_untrusted_address_counts():
    # The client claimed 1.2.3.4 itself; the proxy appended the address it saw.
    request = _request("10.0.0.2", "1.2.3.4, 203.0.113.9, 10.0.0.7")
    assert client_address(request) == "203.0.113.9"
    assert get_client_ip_address(request) == "203.0.113.9"  # django-axes uses the same
    assert client_address(_request("10.0.0.2", "")) == "10.0.0.2"
    assert client_address(_request("10.0.0.2", "not-an-address")) == "10.0.0.2"


@override_settings(SHANZHI_TRUSTED_PROXIES=["10.0.0.0/24"])
def test_a_client_that_is_not_the_proxy_cannot_choose_its_address():
    assert client_address(_request("198.51.100.5", "203.0.113.9")) == "198.51.100.5"


def test_two_residents_behind_the_proxy_have_their_own_registration_limit(settings):
    settings.SHANZHI_TRUSTED_PROXIES = ["10.0.0.2"]
    cache.clear()
    for _ in range(3):
        over_limit(f"t:{client_address(_request('10.0.0.2', '203.0.113.1'))}", 2, 60)
    assert over_limit(f"t:{client_address(_request('10.0.0.2', '203.0.113.1'))}", 2, 60)
    assert not over_limit(f"t:{client_address(_request('10.0.0.2', '203.0.113.2'))}", 2, 60)


@override_settings(CACHES=REDIS_DOWN)
def test_with_the_cache_down_a_throttle_lets_the_request_through():
    assert over_limit("t:down", 0, 60) is False


@override_settings(CACHES=REDIS_DOWN)
def test_health_check_reports_the_cache_and_the_database_separately(client):
    response = client.get(reverse("governance:healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "down"}


def test_health_check_all_well(client):
    response = client.get(reverse("governance:healthz"))
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_guessing_the_old_password_is_throttled(client, world):
    cache.clear()
    user = world.staff_a
    user.set_password("right-password-1")
    user.save()
    client.force_login(user)
    url = reverse("password_change")
    new = {"new_password1": "Brand-new-pass-42", "new_password2": "Brand-new-pass-42"}
    for _ in range(5):
        response = client.post(url, {"old_password": "guess", **new})
        assert response.status_code == 200
    response = client.post(url, {"old_password": "right-password-1", **new})
    assert response.status_code == 200  # refused even with the right one: paused
    assert "15" in str(response.context["form"].errors["old_password"])
    user.refresh_from_db()
    assert user.check_password("right-password-1")
    cache.clear()
    response = client.post(url, {"old_password": "right-password-1", **new})
    assert response.status_code == 302
