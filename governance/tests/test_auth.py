import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _sign_in(client, username, password):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="10.0.0.8"
    )


def test_sign_in_lands_on_home(client, world):
    response = _sign_in(client, "wgy_a", "pw-test-123")
    assert response.status_code == 302 and response["Location"] == reverse("governance:home")


def test_a_wrong_password_is_explained_in_chinese(client, world):
    response = _sign_in(client, "wgy_a", "wrong")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()


def test_repeated_failures_pause_sign_in(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "wgy_a", "wrong")
    response = _sign_in(client, "wgy_a", "pw-test-123")
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    # Another account from the same address is not locked out.
    assert _sign_in(client, "wgy_b", "pw-test-123").status_code == 302


def test_sign_out_is_a_post(client, world):
    client.force_login(world.worker_a)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("governance:home")).status_code == 302
