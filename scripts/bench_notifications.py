"""``make bench`` (second part): the outbox against a plain ``send_messages`` loop.

Fans one announcement out to N partner contacts through ``notify()`` and lets one real Celery
worker (a subprocess on Redis, locmem e-mail backend) deliver them all; then, in the same run,
times a plain loop of ``send_messages`` over the same messages on one locmem connection (in a
new process too).
Prints both and the ratio (target: the outbox costs at most 2x the plain loop), for several
rounds in turn (the plain loop's own time moves by half from one minute to the next on a
shared machine) and for the median round. A benchmark, never a test: it always exits 0
unless it cannot run at all.

The worker and the plain loop's process are started and warmed up (one message through each)
before the clock starts: start-up is not part of what a notification costs, as a production
worker is already running.

Redis: ``--redis-url`` (default ``$BENCH_REDIS_URL``, else ``$TEST_REDIS_URL``, else
``redis://127.0.0.1:6379/15``, the test suite's database). The bench never flushes that
database: its tasks go through a queue of their own (``--queue``), the only key it deletes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cte_portal_bench \
    BENCH_REDIS_URL=redis://127.0.0.1:6379/15 \
    .venv/bin/python scripts/bench_notifications.py [--count 10000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import gc
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cte_portal_bench"
DEFAULT_REDIS_URL = (
    os.environ.get("BENCH_REDIS_URL")
    or os.environ.get("TEST_REDIS_URL")
    or "redis://127.0.0.1:6379/15"
)
DEFAULT_QUEUE = "bench-notifications"


def setup_django(broker: str, queue: str) -> None:
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ["CELERY_BROKER_URL"] = broker
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    # As a worker runs in production (and as scripts/bench.py serves the pages): DEBUG on
    # would time Django's debug cursor, which logs and keeps every query, with the outbox.
    os.environ.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-not-a-secret-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
        }
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cte_portal.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from cte_portal.celery import app

    call_command("migrate", verbosity=0)
    app.conf.task_default_queue = queue  # the worker below consumes only this queue


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


def vacuum() -> None:
    """Start from a vacuumed outbox: the dead rows that earlier runs left (faster than
    autovacuum clears them) would otherwise slow this run's updates down."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE notifications_notification")


def start_worker(queue: str) -> subprocess.Popen:
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
            "-Q",
            queue,
            "-n",
            "bench@%h",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far; 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def database_sessions() -> list[int]:
    """The server processes of every session on the bench's database (PostgreSQL, local)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        return [pid for (pid,) in cursor.fetchall()]


def cpu_snapshot(pids: list[int]) -> dict[int, float]:
    return {pid: process_cpu(pid) for pid in pids}


def cpu_since(before: dict[int, float], pids: list[int]) -> float:
    """CPU seconds these processes used since ``before`` (a process new since then: all of
    its time)."""
    return sum(process_cpu(pid) - before.get(pid, 0.0) for pid in set(pids) | set(before))


def time_outbox(people: list, event_key: str) -> tuple[float, float, float]:
    """Seconds to write the rows (notify, commit) and to have them all delivered, and the
    CPU seconds this process spent in notify()."""
    from django.db import transaction

    from cte_portal.notifications.enums import State
    from cte_portal.notifications.models import Notification
    from cte_portal.notifications.services import notify

    start, cpu_start = time.perf_counter(), time.process_time()
    with transaction.atomic():
        notify(
            kind="announcement",
            event_key=event_key,
            recipients=people,
            context={"title": "Career day", "message": "Host a table at our career day."},
        )
    written, notify_cpu = time.perf_counter() - start, time.process_time() - cpu_start
    # Waiting costs the database as little as it can (it shares the machine with the worker):
    # one worker takes the batches in order, so first wait, by primary key, for the last row
    # to be sent; then make sure none is left (a retried row would be sent after it).
    last_pk = (
        Notification.objects.filter(event_key=event_key).order_by("-pk").values_list("pk").first()
    )
    waiting = [State.QUEUED, State.SENDING]
    unfinished = Notification.objects.filter(event_key=event_key, state__in=waiting)
    last = Notification.objects.filter(pk=last_pk[0] if last_pk else None)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if last.values_list("state", flat=True).first() in waiting:
            time.sleep(0.01)
        elif not unfinished.exists():
            break
        else:
            time.sleep(0.02)
    return written, time.perf_counter() - start, notify_cpu


def time_plain_loop(event_key: str, redis_url: str, queue: str) -> tuple[float, float]:
    """The plain loop's wall and CPU seconds, in a new process of its own: as the worker is
    new each round (a process that has already built and sent tens of thousands of
    messages sends them more slowly: its heap is fragmented, and its collections have more
    to walk)."""
    result = subprocess.run(  # noqa: S603 - this script, fixed arguments
        [sys.executable, __file__, "--plain-loop", event_key, "--redis-url", redis_url,
         "--queue", queue],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )  # fmt: skip
    wall, cpu = result.stdout.split()[-2:]
    return float(wall), float(cpu)


def plain_loop(event_key: str) -> tuple[float, float]:
    """Send this event's messages with a plain loop of ``send_messages`` on one locmem
    connection, built beforehand, after one message to warm up (as the worker is): seconds,
    wall and CPU."""
    from django.core import mail
    from django.core.mail import get_connection

    from cte_portal.notifications.delivery import build_message
    from cte_portal.notifications.models import Notification

    rows = list(Notification.objects.filter(event_key=event_key).order_by("pk"))
    connection = get_connection("django.core.mail.backends.locmem.EmailBackend")
    connection.send_messages([build_message(rows[0], connection)])
    messages = [build_message(row, connection) for row in rows]
    mail.outbox = []
    gc.collect()
    start, cpu_start = time.perf_counter(), time.process_time()
    connection.open()
    for message in messages:
        connection.send_messages([message])
    connection.close()
    return time.perf_counter() - start, time.process_time() - cpu_start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument(
        "--rounds", type=int, default=3, help="outbox and plain loop, in turn, this many times"
    )
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL, help="the broker (Redis)")
    parser.add_argument("--queue", default=DEFAULT_QUEUE, help="the bench's own Celery queue")
    parser.add_argument("--plain-loop", metavar="EVENT_KEY", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    setup_django(args.redis_url, args.queue)
    if args.plain_loop:  # one round's plain loop, in a process of its own
        print(*plain_loop(args.plain_loop))
        return 0
    import redis

    vacuum()
    broker = redis.Redis.from_url(args.redis_url)
    broker.delete(args.queue)  # only our queue: other keys in that database are not ours
    people = contacts(args.count + 1)
    warm_up, people = people[:1], people[1:]
    run = time.time_ns()
    rounds = []
    try:
        for number in range(max(args.rounds, 1)):
            key = f"bench-{run}-{number}"
            rounds.append(one_round(args.redis_url, args.queue, people, warm_up, key))
    finally:
        broker.delete(args.queue)
        from cte_portal.notifications.models import Notification

        Notification.objects.filter(event_key__startswith=f"bench-{run}-").delete()
    report(rounds, args.count)
    return 0


def one_round(
    redis_url: str, queue: str, people: list, warm_up: list, event_key: str
) -> dict[str, float]:
    """The outbox delivers a fan-out, then the plain loop sends the same messages: seconds
    (wall and CPU) of each. Rounds take turns, so a machine that slows down for a minute
    slows both sides of some rounds, and the median round is the one reported. Each side
    starts as the other does: in a new process, warmed up with one message before the clock
    starts, with a locmem outbox holding nothing and a collected heap."""
    from cte_portal.notifications.models import Notification

    worker = start_worker(queue)
    try:
        time_outbox(warm_up, f"{event_key}-warm-up")  # the worker is up and connected
        gc.collect()
        # CPU of the worker and of every database session on the bench's database (the
        # worker's, this process's for notify() and the waiting loop's few queries).
        before = cpu_snapshot([worker.pid, *database_sessions()])
        written, outbox, notify_cpu = time_outbox(people, event_key)
        worker_cpu = process_cpu(worker.pid) - before.pop(worker.pid)
        database_cpu = cpu_since(before, database_sessions())
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
    sent = Notification.objects.filter(event_key=event_key, state="sent").count()
    plain, plain_cpu = time_plain_loop(event_key, redis_url, queue)
    Notification.objects.filter(event_key__startswith=event_key).delete()
    vacuum()  # the next round starts from the same table
    return {
        "sent": sent,
        "outbox": outbox,
        "written": written,
        "plain": plain,
        "outbox_cpu": notify_cpu + worker_cpu + database_cpu,
        "notify_cpu": notify_cpu,
        "worker_cpu": worker_cpu,
        "database_cpu": database_cpu,
        "plain_cpu": plain_cpu,
    }


def report(rounds: list[dict[str, float]], count: int) -> None:
    print(f"\nnotifications: fan-out + delivery of {count} through the outbox, one worker")
    print(f"  {len(rounds)} rounds, each the outbox then the plain loop; ratio per round:")
    for number, each in enumerate(rounds, 1):
        print(
            f"    round {number}: outbox {each['outbox'] / count * 1e3:6.3f} ms, plain loop"
            f" {each['plain'] / count * 1e3:6.3f} ms: {each['outbox'] / each['plain']:4.1f}x"
            f" (CPU {each['outbox_cpu'] / max(each['plain_cpu'], 1e-9):4.1f}x),"
            f" {each['sent']:.0f} sent"
        )
    middle = sorted(rounds, key=lambda each: each["outbox"] / each["plain"])[len(rounds) // 2]
    print("  the median round:")
    for label, seconds in (
        (f"outbox (notify + worker, {middle['sent']:.0f} sent)", middle["outbox"]),
        ("  of which notify() (fan-out)", middle["written"]),
        ("plain send_messages loop", middle["plain"]),
    ):
        print(f"  {label:<36}{seconds:8.2f} s  {seconds / count * 1e3:6.3f} ms each")
    print(f"  {'ratio':<36}{middle['outbox'] / middle['plain']:8.1f}x  (target <= 2x)")
    # CPU seconds, which other load on the machine does not stretch as it stretches the
    # wall clock: the outbox's are the worker's, notify()'s and the database sessions'.
    print(
        f"  {'CPU: outbox (worker + database)':<36}{middle['outbox_cpu']:8.2f} s"
        f"  {middle['outbox_cpu'] / count * 1e3:6.3f} ms each"
    )
    for label, key in (
        ("  of which notify()", "notify_cpu"),
        ("  of which the worker process", "worker_cpu"),
        ("  of which the database sessions", "database_cpu"),
    ):
        print(f"  {label:<36}{middle[key]:8.2f} s  {middle[key] / count * 1e3:6.3f} ms each")
    plain_cpu = middle["plain_cpu"]
    print(f"  {'CPU: plain loop':<36}{plain_cpu:8.2f} s  {plain_cpu / count * 1e3:6.3f} ms each")
    print(f"  {'CPU ratio':<36}{middle['outbox_cpu'] / max(plain_cpu, 1e-9):8.1f}x")


if __name__ == "__main__":
    sys.exit(main())
