"""`make test`'s pre-flight: it names the missing service and how to start it, before any
install, using only the standard library."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the probe is closed


def run_check(database_url: str, redis_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        # -S: no site-packages, as on a machine where nothing is installed yet.
        [sys.executable, "-S", "scripts/check_services.py"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url, "TEST_REDIS_URL": redis_url},
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_check_passes_when_postgresql_and_redis_answer():
    result = run_check(os.environ["DATABASE_URL"], os.environ["TEST_REDIS_URL"])

    assert result.returncode == 0, result.stderr


def test_check_names_each_missing_service_and_how_to_start_it():
    port = closed_port()

    result = run_check(f"postgres://postgres@127.0.0.1:{port}/x", f"redis://127.0.0.1:{port}/1")

    assert result.returncode == 1
    assert f"PostgreSQL at 127.0.0.1:{port} is unreachable" in result.stderr
    assert f"Redis at 127.0.0.1:{port} is unreachable" in result.stderr
    assert "docker compose up -d db" in result.stderr


def test_check_refuses_sqlite_for_the_tests():
    result = run_check("sqlite:///db.sqlite3", os.environ["TEST_REDIS_URL"])

    assert result.returncode == 1
    assert "must point at PostgreSQL" in result.stderr
