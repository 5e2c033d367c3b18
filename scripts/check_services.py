"""Stop `make test` at once, with a clear message, when PostgreSQL or Redis is unreachable.

Standard library only: it runs before anything is installed, so a newcomer without the
services hears so before pip and npm spend minutes.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
from urllib.parse import urlparse

HOW_TO_START = {
    "PostgreSQL": (
        "start it with `docker compose up -d db`, or on Debian "
        "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`"
    ),
    "Redis": (
        "start it with `docker compose up -d redis`, or "
        '`redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no`'
    ),
}


def unreachable(host: str, port: int) -> str | None:
    """Why nothing answers on host:port, or None when something does."""
    try:
        socket.create_connection((host, port), timeout=3).close()
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def redis_answers(host: str, port: int) -> str | None:
    """Why the server on host:port is not a Redis that answers PING, or None."""
    try:
        with socket.create_connection((host, port), timeout=3) as conn:
            conn.sendall(b"PING\r\n")
            reply = conn.recv(64)
    except OSError as exc:
        return exc.strerror or str(exc)
    return None if reply.startswith((b"+PONG", b"-NOAUTH")) else f"answered {reply[:30]!r}"


def main() -> int:
    database_url = os.environ["DATABASE_URL"]
    redis_url = urlparse(os.environ["TEST_REDIS_URL"])
    failures = []
    if not database_url.startswith("postgres"):
        failures.append(f"DATABASE_URL must point at PostgreSQL for the tests, not {database_url}")
    else:
        db = urlparse(database_url)
        if error := unreachable(db.hostname or "127.0.0.1", db.port or 5432):
            failures.append(
                f"PostgreSQL at {db.hostname}:{db.port or 5432} is unreachable ({error}): "
                + HOW_TO_START["PostgreSQL"]
            )
    if error := redis_answers(redis_url.hostname or "127.0.0.1", redis_url.port or 6379):
        failures.append(
            f"Redis at {redis_url.hostname}:{redis_url.port or 6379} is unreachable ({error}): "
            + HOW_TO_START["Redis"]
        )
    for failure in failures:
        print(f"make test: {failure}", file=sys.stderr)
    if not failures and not shutil.which("chromium") and not os.path.exists("/usr/bin/chromium"):
        print(
            "make test: no Chromium found, so the browser and accessibility tests will be skipped "
            "(install it with `apt-get install chromium`).",
            file=sys.stderr,
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
