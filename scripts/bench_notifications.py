"""``make bench`` (second part): the outbox against a plain ``send_messages`` loop.

Fans one announcement out to N partner contacts through ``notify()`` and lets one real Celery
worker (a subprocess on Redis, locmem e-mail backend) deliver them all; then, in the same run,
times a plain loop of ``send_messages`` over the same messages on one locmem connection.
Prints both and the ratio (target: the outbox costs at most 2x the plain loop). A benchmark,
never a test: it always exits 0 unless it cannot run at all.

    .venv/bin/python scripts/bench_notifications.py [--count 10000]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cte_portal_bench"
BROKER = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")


def setup_django() -> None:
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ["CELERY_BROKER_URL"] = BROKER
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cte_portal.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def contacts(count: int) -> list:
    from cte_portal.users.enums import Role
    from cte_portal.users.models import User

    existing = User.objects.filter(email__endswith="@bench.example").count()
    if existing < count:
        User.objects.bulk_create(
            [
                User(email=f"contact{n}@bench.example", role=Role.EMPLOYER)
                for n in range(existing, count)
            ],
            batch_size=2000,
        )
    return list(User.objects.filter(email__endswith="@bench.example").order_by("pk")[:count])


def start_worker() -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(  # noqa: S603 - our own venv's celery, fixed arguments
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "cte_portal",
            "worker",
            "--pool=solo",
            "-l",
            "error",
            "--without-mingle",
            "--without-gossip",
            "-n",
            "bench@%h",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def time_outbox(people: list, event_key: str) -> float:
    from django.db import transaction

    from cte_portal.notifications.enums import State
    from cte_portal.notifications.models import Notification
    from cte_portal.notifications.services import notify

    start = time.perf_counter()
    with transaction.atomic():
        notify(
            kind="announcement",
            event_key=event_key,
            recipients=people,
            context={"title": "Career day", "message": "Host a table at our career day."},
        )
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if not Notification.objects.filter(
            event_key=event_key, state__in=[State.QUEUED, State.SENDING]
        ).exists():
            break
        time.sleep(0.05)
    return time.perf_counter() - start


def time_plain_loop(event_key: str) -> float:
    from django.core.mail import get_connection

    from cte_portal.notifications.delivery import build_message
    from cte_portal.notifications.models import Notification

    rows = list(Notification.objects.filter(event_key=event_key).order_by("pk"))
    connection = get_connection("django.core.mail.backends.locmem.EmailBackend")
    messages = [build_message(row, connection) for row in rows]
    start = time.perf_counter()
    connection.open()
    for message in messages:
        connection.send_messages([message])
    connection.close()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args(argv)
    setup_django()
    import redis

    from cte_portal.notifications.models import Notification

    redis.Redis.from_url(BROKER).flushdb()
    people = contacts(args.count)
    event_key = f"bench-{time.time_ns()}"
    worker = start_worker()
    try:
        outbox = time_outbox(people, event_key)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
    sent = Notification.objects.filter(event_key=event_key, state="sent").count()
    plain = time_plain_loop(event_key)
    Notification.objects.filter(event_key=event_key).delete()
    print(f"\nnotifications: fan-out + delivery of {args.count} through the outbox, one worker")
    each_outbox = outbox / args.count * 1e3
    each_plain = plain / args.count * 1e3
    print(f"  outbox (notify + worker, {sent} sent)  {outbox:8.2f} s  {each_outbox:6.3f} ms each")
    print(f"  plain send_messages loop            {plain:8.2f} s  {each_plain:6.3f} ms each")
    print(f"  ratio                               {outbox / plain:8.1f}x  (target <= 2x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
