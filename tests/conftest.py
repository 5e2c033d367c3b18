"""Shared fixtures: one person per role, like Healthchecks' Alice, Bob and Charlie.

``other_student`` and ``other_employer`` exist to prove that one person cannot see another's
things: test negatives with data that *could* leak.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.factories.users import (
    CounselorUserFactory,
    EmployerUserFactory,
    StaffUserFactory,
    StudentUserFactory,
)

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(scope="session", autouse=True)
def _notification_journal(tmp_path_factory) -> Iterator[None]:
    # The outbox's delivery journal (notifications/journal.py) in a folder of this run's own,
    # seen by this process and by the worker processes the tests start (through the env).
    from django.conf import settings

    path = str(tmp_path_factory.mktemp("notification-journal"))
    saved = os.environ.get("NOTIFICATIONS_JOURNAL_DIR")
    os.environ["NOTIFICATIONS_JOURNAL_DIR"] = path
    settings.NOTIFICATIONS_JOURNAL_DIR = path
    yield
    if saved is None:
        os.environ.pop("NOTIFICATIONS_JOURNAL_DIR", None)
    else:
        os.environ["NOTIFICATIONS_JOURNAL_DIR"] = saved


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    # Real hashing costs ~0.3 s a password; the tests check behaviour, not bcrypt.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    # Rate limits and throttles live in the cache: no test inherits another's.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path) -> None:
    # Uploaded files (partner agreements...) land in a temporary folder, never the project's.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def student(db):
    return StudentUserFactory(email="student@example.org", full_name="Ana Student")


@pytest.fixture
def other_student(db):
    return StudentUserFactory(email="other.student@example.org", full_name="Ben Other")


@pytest.fixture
def counselor(db):
    return CounselorUserFactory(email="counselor@example.org", full_name="Cora Counselor")


@pytest.fixture
def other_counselor(db):
    return CounselorUserFactory(email="other.counselor@example.org", full_name="Dev Other")


@pytest.fixture
def staff(db):
    return StaffUserFactory(email="staff@example.org", full_name="Sol Staff")


@pytest.fixture
def employer(db):
    return EmployerUserFactory(email="employer@example.org", full_name="Eve Employer")


@pytest.fixture
def other_employer(db):
    return EmployerUserFactory(email="other.employer@example.org", full_name="Fay Other")


@pytest.fixture
def client_for() -> Callable[..., Client]:
    """A test client signed in as the given user (or anonymous for None)."""

    def make(user=None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def token_for() -> Callable[..., dict[str, str]]:
    """The Authorization header for a user's API token."""

    def make(user) -> dict[str, str]:
        token, _ = Token.objects.get_or_create(user=user)
        return {"Authorization": f"Token {token.key}"}

    return make


@pytest.fixture
def query_budget(client_for):
    """Make a query-count bound a one-line test, and prove it holds as data grows.

    ``query_budget("/pathways/", max_queries=6, grow=PathwayFactory.create_batch)`` loads the
    page with 1 item and again with 20 (``grow(n)`` adds n items), and fails if either load
    runs more than ``max_queries`` queries or if the count changes with the data (N+1).
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def measure(client: Client, url: str) -> tuple[int, list[str]]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]

    def check(
        url: str,
        *,
        max_queries: int,
        grow: Callable[[int], object] | None = None,
        user=None,
        sizes: tuple[int, int] = (1, 20),
    ) -> None:
        client = client_for(user)
        client.get(url)  # warm up: session, content types, translations
        counts = []
        done = 0
        for size in sizes if grow else sizes[:1]:
            if grow:
                grow(size - done)
                done = size
            count, sql = measure(client, url)
            listing = "\n".join(f"  {i + 1}. {q}" for i, q in enumerate(sql))
            assert count <= max_queries, (
                f"{url} ran {count} queries with {size} items (budget {max_queries}):\n{listing}"
            )
            counts.append(count)
        assert len(set(counts)) == 1, f"{url}: query count grows with the data: {counts}"

    return check


@contextmanager
def celery_on_redis(url: str = TEST_REDIS_URL) -> Iterator[object]:
    """Point the Celery app at a real Redis (not eager) for the duration, then restore it."""
    from cte_portal.celery import app

    saved = {key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=url, result_backend=url, task_always_eager=False)
    _reset_celery_connections(app)
    try:
        yield app
    finally:
        app.conf.update(saved)
        _reset_celery_connections(app)


@pytest.fixture
def celery_worker(transactional_db) -> Iterator[object]:
    """A real Celery worker thread consuming from Redis (its own database, flushed).

    Tasks sent with ``.delay()`` during the test go through Redis to this worker, which uses
    its own database connection: tests using it need ``django_db(transaction=True)``.
    """
    import redis
    from celery.contrib.testing.worker import start_worker

    redis.Redis.from_url(TEST_REDIS_URL).flushdb()
    try:
        with (
            celery_on_redis() as app,
            start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING") as w,
        ):
            yield w
    finally:
        redis.Redis.from_url(TEST_REDIS_URL).flushdb()


def _reset_celery_connections(app) -> None:
    """Forget cached broker pools and result backends so a changed broker_url takes effect."""
    from kombu import pools

    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    pools.reset()  # kombu's global producer pools would hand back the closed connections
    app.amqp._producer_pool = None
    app._local.__dict__.pop("backend", None)
