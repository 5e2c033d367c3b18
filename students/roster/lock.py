"""One import at a time: two imports planned from the same database state would both create
the same new students. On PostgreSQL a session advisory lock is held from the first read to
the commit (a worker that dies drops its connection, and the lock with it); SQLite already
lets one writer in at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection

LOCK_KEY = 0x0E05_7E25  # any constant the portal uses for nothing else


@contextmanager
def one_import_at_a_time(*, on_wait: Callable[[], None] = lambda: None) -> Iterator[None]:
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
        if not cursor.fetchone()[0]:
            on_wait()
            cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
