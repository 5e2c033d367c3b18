"""Settings come from the environment and fail loudly on nonsense."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from cte_portal.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), ("Yes", True), ("on", True), ("0", False), ("off", False)],
)
def test_env_bool_reads_the_usual_spellings(raw, expected):
    assert env_bool("X", not expected, environ={"X": raw}) is expected


@pytest.mark.parametrize("raw", ["flase", "2", "enabled", "y e s", "", "  "])
def test_env_bool_rejects_anything_else_loudly(raw):
    with pytest.raises(ImproperlyConfigured, match="is not a boolean"):
        env_bool("DEBUG", False, environ={"DEBUG": raw})


def test_env_bool_default_when_unset():
    assert env_bool("DEBUG", True, environ={}) is True


def test_env_int_rejects_words():
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("EMAIL_PORT", 25, environ={"EMAIL_PORT": "twenty-five"})


def test_env_str_required_without_default():
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is required"):
        env_str("SECRET_KEY", None, environ={})


def test_env_list_splits_commas_and_drops_blanks():
    assert env_list("H", [], environ={"H": "a.example, b.example,,"}) == ["a.example", "b.example"]


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "cte.district.example",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/cte_portal",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # The browser tests lift Django's async-safety check for this process; a deployment never
    # sets it, so neither does the child.
    dropped = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)

    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_bad_boolean_stops_the_process_at_start_up():
    result = run_manage("check", env={**PRODUCTION, "DEBUG": "flase"})

    assert result.returncode != 0
    assert "DEBUG='flase' is not a boolean" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    env = {k: v for k, v in PRODUCTION.items() if k != "ALLOWED_HOSTS"}
    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert "Set ALLOWED_HOSTS" in result.stderr


def test_zero_setup_default_is_sqlite_and_eager_celery():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='cte_portal.settings'; "
        "django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER)"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "DEBUG", "SECRET_KEY"}
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True"]


def test_static_files_carry_the_policy_too(settings):
    # Whitenoise answers from the finders here (production answers from collectstatic's
    # output); it reads its settings when the client builds the middleware.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get("/static/css/portal.css")

    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_every_response_carries_a_strict_content_security_policy(client):
    response = client.get("/robots.txt")

    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy
