"""config/settings.py read from a controlled environment, each case in a fresh interpreter.

The settings are evaluated once per process, so every case runs `python -c` (or manage.py)
in a subprocess whose environment holds only what the case sets.
"""

import json
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)

DUMP = """
import json
from django.conf import settings as s

print(json.dumps({
    "DEBUG": s.DEBUG,
    "PRODUCTION": s.PRODUCTION,
    "ALLOWED_HOSTS": s.ALLOWED_HOSTS,
    "DATABASE": {k: s.DATABASES["default"][k] for k in
                 ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT", "CONN_MAX_AGE")},
    "CACHE": s.CACHES["default"],
    "BROKER_URL": s.CELERY_BROKER_URL,
    "BROKER_OPTIONS": s.CELERY_BROKER_TRANSPORT_OPTIONS,
    "RESULT_BACKEND": s.CELERY_RESULT_BACKEND,
    "SECURE_SSL_REDIRECT": getattr(s, "SECURE_SSL_REDIRECT", False),
    "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
}, default=str))
"""


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    clean = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings", **env}
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=clean, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip


def load(**env: str) -> dict:
    done = run(["-c", DUMP], **env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def error_line(done: subprocess.CompletedProcess) -> str:
    assert done.returncode != 0, done.stdout
    return done.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "maybe"),
        ("SHANZHI_PRODUCTION", "prod"),
        ("AXES_FAILURE_LIMIT", "five"),
        ("SHANZHI_YELLOW_SHARE", "1.5"),
        ("SHANZHI_YELLOW_SHARE", "seventy"),
    ],
)
def test_a_bad_value_fails_loudly_naming_the_variable(name, value, tmp_path):
    env = {"DEBUG": "1", "SHANZHI_VAR_DIR": str(tmp_path), name: value}

    line = error_line(run(["-c", DUMP], **env))

    assert line.startswith("django.core.exceptions.ImproperlyConfigured"), line
    assert name in line


@pytest.mark.parametrize("env", [{}, {"DEBUG": "0"}, {"DEBUG": "1", "SHANZHI_PRODUCTION": "1"}])
def test_production_without_secret_key_refuses_to_start(env, tmp_path):
    line = error_line(run(["-c", DUMP], SHANZHI_VAR_DIR=str(tmp_path), **env))

    assert line.startswith("django.core.exceptions.ImproperlyConfigured"), line
    assert "SECRET_KEY" in line


def test_development_defaults_need_no_services():
    loaded = load(DEBUG="1")

    assert loaded["DEBUG"] is True
    assert loaded["PRODUCTION"] is False
    assert loaded["DATABASE"]["ENGINE"] == "django.db.backends.sqlite3"
    assert loaded["DATABASE"]["NAME"] == str(BASE_DIR / "var" / "shanzhi.sqlite3")
    assert loaded["BROKER_URL"] == "filesystem://"
    broker_dir = BASE_DIR / "var" / "celery"
    assert loaded["BROKER_OPTIONS"]["data_folder_in"] == str(broker_dir / "out")
    # Not kombu's default "control" folder in the working directory.
    assert loaded["BROKER_OPTIONS"]["control_folder"] == str(broker_dir / "control")
    assert loaded["RESULT_BACKEND"] is None
    assert loaded["CACHE"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert "127.0.0.1" in loaded["ALLOWED_HOSTS"]
    assert loaded["SECURE_SSL_REDIRECT"] is False


def test_var_dir_moves_the_database_and_the_broker(tmp_path):
    loaded = load(DEBUG="1", SHANZHI_VAR_DIR=str(tmp_path))

    assert loaded["DATABASE"]["NAME"] == str(tmp_path / "shanzhi.sqlite3")
    assert loaded["BROKER_OPTIONS"]["data_folder_in"] == str(tmp_path / "celery" / "out")
    assert (tmp_path / "celery" / "processed").is_dir()


def test_database_url_selects_postgresql(tmp_path):
    loaded = load(
        DEBUG="1", SHANZHI_VAR_DIR=str(tmp_path),
        DATABASE_URL="postgres://shanzhi:s3cret@db.example:5433/shanzhi",
    )  # fmt: skip

    assert loaded["DATABASE"] == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "shanzhi",
        "USER": "shanzhi",
        "PASSWORD": "s3cret",
        "HOST": "db.example",
        "PORT": 5433,
        "CONN_MAX_AGE": 60,
    }


def test_redis_url_switches_broker_results_and_cache(tmp_path):
    url = "redis://cache.example:6379/2"

    loaded = load(DEBUG="1", SHANZHI_VAR_DIR=str(tmp_path), REDIS_URL=url)

    assert loaded["BROKER_URL"] == url
    assert loaded["RESULT_BACKEND"] == url
    assert loaded["CACHE"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
    }


def test_parallel_test_processes_keep_their_own_cache_keys(tmp_path):
    url = "redis://cache.example:6379/2"
    loaded = load(
        DEBUG="1", SHANZHI_VAR_DIR=str(tmp_path), REDIS_URL=url, PYTEST_XDIST_WORKER="gw1"
    )
    assert loaded["CACHE"]["KEY_PREFIX"] == "gw1"


def test_production_settings_pass_the_deployment_checklist(tmp_path):
    env = {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "example.org",
        "SHANZHI_VAR_DIR": str(tmp_path),
    }
    loaded = load(**env)
    assert loaded["PRODUCTION"] is True
    assert loaded["SECURE_SSL_REDIRECT"] is True
    assert loaded["SESSION_COOKIE_SECURE"] is True
    assert loaded["ALLOWED_HOSTS"] == ["example.org"]

    done = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
