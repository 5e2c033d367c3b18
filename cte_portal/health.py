"""What ``/healthz`` reports: can we reach the database and the broker right now?"""

from __future__ import annotations

from django.conf import settings
from django.db import connections
from kombu import Connection


def database_state(alias: str = "default") -> str:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure to answer is "down", with its reason
        return f"down: {exc.__class__.__name__}"
    return "ok"


def broker_state() -> str:
    url = settings.CELERY_BROKER_URL
    if not url or url.startswith("memory://"):
        return "ok (tasks run in-process)"
    try:
        with Connection(url, connect_timeout=2, transport_options={"max_retries": 0}) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception as exc:
        return f"down: {exc.__class__.__name__}"
    return "ok"


def health() -> tuple[bool, dict[str, str]]:
    checks = {"database": database_state(), "broker": broker_state()}
    return all(state.startswith("ok") for state in checks.values()), checks
