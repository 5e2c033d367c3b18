"""Stop `make test` at once, with a clear message, when PostgreSQL or Redis is unreachable."""

from __future__ import annotations

import os
import shutil
import sys
from urllib.parse import urlparse

import psycopg2
import redis

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


def check_postgres(url: str) -> str | None:
    parts = urlparse(url)
    try:
        psycopg2.connect(
            host=parts.hostname,
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password or "",
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except psycopg2.OperationalError as exc:
        return str(exc).strip().splitlines()[0]
    return None


def check_redis(url: str) -> str | None:
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        return str(exc)
    return None


def main() -> int:
    database_url = os.environ["DATABASE_URL"]
    redis_url = os.environ["TEST_REDIS_URL"]
    failures = []
    if not database_url.startswith("postgres"):
        failures.append(f"DATABASE_URL must point at PostgreSQL for the tests, not {database_url}")
    elif error := check_postgres(database_url):
        failures.append(
            f"PostgreSQL at {urlparse(database_url).netloc} is unreachable ({error}): "
            + HOW_TO_START["PostgreSQL"]
        )
    if error := check_redis(redis_url):
        failures.append(f"Redis at {redis_url} is unreachable ({error}): " + HOW_TO_START["Redis"])
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
