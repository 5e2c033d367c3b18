from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
@override_settings(CELERY_BROKER_URL=os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"))
def test_healthz_is_ok_when_database_and_broker_answer(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_healthz_is_503_when_the_broker_is_down(client):
    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["database"] == "ok"
    assert body["broker"].startswith("down")


def test_healthz_is_503_when_the_database_is_down():
    # A real unreachable PostgreSQL (nothing listens on port 1), in a process of its own.
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz', HTTP_HOST='localhost'); print(r.status_code, r.json())"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cte_portal.settings",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nowhere",
        "CELERY_BROKER_URL": "",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    status, _, body = result.stdout.strip().partition(" ")
    assert status == "503"
    assert "'database': 'down: OperationalError'" in body
