"""``make bench``: time pages under gunicorn and PostgreSQL, against a trivial page.

Absolute milliseconds depend on the machine; the ratio to a trivial page does much less. HTML
pages are compared with ``/robots.txt`` (a plain ``HttpResponse`` through the whole middleware
stack) and API rows with ``/api/v1/`` (the API root: DRF, ``AllowAny``, no database).

Every new page adds a row to ``PAGES``; ``auth="staff"`` sends the demo staff account's API
token. The script builds its own database (``DATABASE_URL``, created if missing), migrates it,
seeds the demo data, collects the static files and serves them with ``DEBUG=0``. It only ever
talks to 127.0.0.1, sends a bounded number of sequential requests, and exits 0 whatever the
timings are: it is a benchmark, never a test. It exits 1 only when the server cannot start.

    .venv/bin/python scripts/bench.py [--requests N] [--only NAME]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cte_portal_bench"
HOST = "127.0.0.1"
WORKERS = 2


@dataclass(frozen=True)
class Row:
    name: str
    path: str
    auth: str | None = None  # a key of ACCOUNTS: the request carries that account's API token

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")


# The baselines every ratio is computed against; always measured, whatever --only says.
TRIVIAL_PAGE = Row("trivial page", "/robots.txt")
TRIVIAL_API = Row("trivial API", "/api/v1/")

# One row per page worth watching. Features append theirs.
PAGES: list[Row] = [
    Row("home", "/"),
    Row("sign in", "/accounts/login/"),
    Row("pathway catalogue", "/pathways/"),
    Row("pathway search", "/pathways/?q=engineering&grade=9"),
    Row("pathway page", "/pathways/software-engineering/"),
    Row("compare pathways", "/pathways/compare/?p=software-engineering&p=pre-engineering"),
    Row("sector page", "/sectors/information-technology/"),
    Row("API pathways", "/api/v1/pathways/"),
    Row("API schema", "/api/v1/schema/"),
    Row("API me (token)", "/api/v1/me/", auth="staff"),
    Row("API me (student's record)", "/api/v1/me/", auth="student"),
    Row("API caseload (counselor)", "/api/v1/students/?page_size=200", auth="counselor"),
    Row("API request queue (counselor)", "/api/v1/enrollments/?status=requested", auth="counselor"),
    Row("opportunity board", "/opportunities/"),
    Row("opportunity board (filtered)", "/opportunities/?kind=internship&paid=yes&virtual=no"),
    # The demo's first opportunity (the bench builds a database of its own, seeded once).
    Row("opportunity page", "/opportunities/1/"),
]

# Demo accounts from ``manage.py seed_demo`` (cte_portal/users/demo.py).
ACCOUNTS = {
    "staff": ("staff@demo.example", "demo-password"),
    "counselor": ("counselor@demo.example", "demo-password"),
    "student": ("student@demo.example", "demo-password"),
}

WARMUP_REQUESTS = 10
REQUEST_TIMEOUT = 30.0  # seconds for one request
START_TIMEOUT = 60.0  # seconds for gunicorn to answer its first request


class ServerError(Exception):
    """The server could not be prepared or started: the only reason to exit non-zero."""


@dataclass
class Result:
    row: Row
    timings_ms: list[float]
    statuses: dict[int, int]
    error: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.timings_ms) if self.timings_ms else None

    @property
    def p95(self) -> float | None:
        return percentile(self.timings_ms, 95)


def percentile(values: list[float], pct: float) -> float | None:
    """The ``pct``-th percentile, interpolated between the closest ranks."""
    if not values:
        return None
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * pct / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def baseline_for(row: Row) -> Row:
    return TRIVIAL_API if row.is_api else TRIVIAL_PAGE


def select_rows(only: list[str] | None) -> list[Row]:
    """The baselines, then every row whose name contains one of ``only`` (all rows if empty)."""
    rows = list(PAGES)
    if only:
        wanted = [name.casefold() for name in only]
        rows = [row for row in rows if any(name in row.name.casefold() for name in wanted)]
    return [
        TRIVIAL_PAGE,
        TRIVIAL_API,
        *(row for row in rows if row not in (TRIVIAL_PAGE, TRIVIAL_API)),
    ]


# --- Preparing the database and the server ----------------------------------------------------


def bench_environment(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-not-a-secret-" + "x" * 40,
            "ALLOWED_HOSTS": HOST,
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "SECURE_HSTS_SECONDS": "0",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    # The bench measures the portal alone: tasks in-process, per-process cache.
    for name in ("CELERY_BROKER_URL", "CACHE_URL", "BEHIND_TLS_PROXY", "STATIC_MANIFEST"):
        env.pop(name, None)
    return env


def create_database(database_url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    parts = urlparse(database_url)
    name = parts.path.lstrip("/")
    if not name:
        raise ServerError(f"DATABASE_URL has no database name: {database_url}")
    try:
        conn = psycopg2.connect(
            host=parts.hostname or HOST,
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password or "",
            dbname="postgres",
            connect_timeout=5,
        )
    except psycopg2.OperationalError as exc:
        raise ServerError(f"cannot reach PostgreSQL at {parts.hostname}: {exc}") from exc
    try:
        conn.autocommit = True  # CREATE DATABASE cannot run inside a transaction
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                print(f"bench: created database {name}", file=sys.stderr)
    finally:
        conn.close()


def manage(env: dict[str, str], *args: str) -> None:
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    completed = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        command, cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        output = (completed.stdout + completed.stderr).strip()
        raise ServerError(f"manage.py {' '.join(args)} failed:\n{output}")


def gunicorn_program() -> str:
    candidates = [Path(sys.executable).parent / "gunicorn", ROOT / ".venv" / "bin" / "gunicorn"]
    for candidate in candidates:
        if candidate.exists():
            return str(candidate)
    found = shutil.which("gunicorn")
    if found is None:
        raise ServerError("gunicorn is not installed: run `make install-dev`.")
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict[str, str], port: int, log) -> subprocess.Popen:
    command = [
        gunicorn_program(),
        "cte_portal.wsgi",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(WORKERS),
        "--log-level",
        "warning",
    ]
    # Its own session: a Ctrl-C reaches this script, which then stops gunicorn cleanly.
    return subprocess.Popen(  # noqa: S603 - our own venv's gunicorn
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()  # SIGTERM: gunicorn's graceful shutdown
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def log_tail(log) -> str:
    log.flush()
    log.seek(0)
    return "\n".join(log.read().decode(errors="replace").splitlines()[-30:])


def wait_until_answering(process: subprocess.Popen, port: int, log) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(f"gunicorn exited with code {process.returncode}:\n{log_tail(log)}")
        conn = http.client.HTTPConnection(HOST, port, timeout=2)
        try:
            conn.request("GET", TRIVIAL_PAGE.path)
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                return
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.2)
    raise ServerError(f"gunicorn did not answer within {START_TIMEOUT:.0f} s:\n{log_tail(log)}")


# --- Measuring ---------------------------------------------------------------------------------


class Client:
    """Sequential requests to 127.0.0.1 only, keeping the connection open when the server does."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)

    def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes | None = None
    ) -> tuple[int, bytes]:
        try:
            return self._send(method, path, headers, body)
        except (http.client.HTTPException, ConnectionError):
            # The server closed an idle keep-alive connection: one retry on a fresh one.
            self.close()
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
            return self._send(method, path, headers, body)

    def _send(
        self, method: str, path: str, headers: dict[str, str], body: bytes | None
    ) -> tuple[int, bytes]:
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        return response.status, response.read()

    def close(self) -> None:
        self.conn.close()


def obtain_token(client: Client, account: str) -> str:
    email, password = ACCOUNTS[account]
    body = json.dumps({"email": email, "password": password}).encode()
    status, content = client.request(
        "POST", "/api/v1/auth/token/", {"Content-Type": "application/json"}, body
    )
    if status != 200:
        raise RuntimeError(f"POST /api/v1/auth/token/ as {email} answered HTTP {status}")
    return json.loads(content)["token"]


def measure(
    client: Client, row: Row, headers: dict[str, str], requests: int, max_seconds: float
) -> Result:
    result = Result(row, [], {})
    try:
        for _ in range(min(WARMUP_REQUESTS, requests)):
            client.request("GET", row.path, headers)
        deadline = time.monotonic() + max_seconds
        for _ in range(requests):
            started = time.perf_counter()
            status, _body = client.request("GET", row.path, headers)
            result.timings_ms.append((time.perf_counter() - started) * 1000)
            result.statuses[status] = result.statuses.get(status, 0) + 1
            if time.monotonic() > deadline:
                result.error = f"stopped after {max_seconds:.0f} s"
                break
    except (OSError, http.client.HTTPException) as exc:
        result.error = f"{exc.__class__.__name__}: {exc}"
    return result


def run_rows(port: int, rows: list[Row], requests: int, max_seconds: float) -> dict[Row, Result]:
    client = Client(port)
    tokens: dict[str, str] = {}
    results: dict[Row, Result] = {}
    try:
        for row in rows:
            headers = {"Accept-Language": "en"}
            if row.auth:
                try:
                    if row.auth not in tokens:
                        tokens[row.auth] = obtain_token(client, row.auth)
                except (
                    OSError,
                    http.client.HTTPException,
                    RuntimeError,
                    KeyError,
                    ValueError,
                ) as exc:
                    results[row] = Result(row, [], {}, error=f"no token: {exc}")
                    continue
                headers["Authorization"] = f"Token {tokens[row.auth]}"
            print(f"bench: {row.name} ({row.path})...", file=sys.stderr, flush=True)
            results[row] = measure(client, row, headers, requests, max_seconds)
    finally:
        client.close()
    return results


# --- Reporting ---------------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def format_table(results: dict[Row, Result]) -> str:
    header = ["name", "path", "n", "median ms", "p95 ms", "ratio", "note"]
    lines = []
    for row, result in results.items():
        baseline = results.get(baseline_for(row))
        base_median = baseline.median if baseline else None
        median = result.median
        ratio = "-" if not median or not base_median else f"{median / base_median:.2f}"
        notes = [
            f"HTTP {status} x{count}"
            for status, count in sorted(result.statuses.items())
            if status != 200
        ]
        if result.error:
            notes.append(result.error)
        lines.append(
            [
                row.name,
                row.path,
                str(len(result.timings_ms)),
                _ms(median),
                _ms(result.p95),
                ratio,
                "; ".join(notes),
            ]
        )
    widths = [max(len(cells[i]) for cells in [header, *lines]) for i in range(len(header))]
    numeric = {2, 3, 4, 5}

    def render(cells: list[str]) -> str:
        return "  ".join(
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(cells)
        ).rstrip()

    rule = "  ".join("-" * width for width in widths).rstrip()
    return "\n".join([render(header), rule, *(render(cells) for cells in lines)])


# --- Main --------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--requests", type=int, default=200, help="timed requests per row (default 200)"
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="only rows whose name contains NAME (repeatable); the baselines always run",
    )
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=60.0,
        help="stop a row's timed requests after this long (default 60)",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.requests <= 100_000:
        parser.error("--requests must be between 1 and 100000")
    return args


def _raise_keyboard_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    rows = select_rows(args.only)
    if args.only and not any(row in PAGES for row in rows):
        print(f"bench: no row matches {', '.join(args.only)}; timing the baselines only.")

    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if not database_url.startswith(("postgres://", "postgresql://")):
        print(f"bench: DATABASE_URL must point at PostgreSQL, not {database_url}", file=sys.stderr)
        return 1
    env = bench_environment(database_url)
    # `kill` of this script also stops gunicorn: SIGTERM unwinds like Ctrl-C.
    signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)

    process = None
    with tempfile.TemporaryFile() as log:
        try:
            print(f"bench: preparing {urlparse(database_url).path.lstrip('/')}", file=sys.stderr)
            create_database(database_url)
            manage(env, "migrate", "--noinput")
            manage(env, "seed_demo")
            manage(env, "collectstatic", "--noinput", "-v0")
            port = free_port()
            process = start_gunicorn(env, port, log)
            wait_until_answering(process, port, log)
            print(
                f"bench: gunicorn ({WORKERS} workers, DEBUG=0) on {HOST}:{port}",
                file=sys.stderr,
            )
            results = run_rows(port, rows, args.requests, args.max_seconds)
        except ServerError as exc:
            print(f"bench: the server could not start: {exc}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            print("bench: interrupted.", file=sys.stderr)
            return 130
        finally:
            if process is not None:
                stop_gunicorn(process)

    print()
    warmup = min(WARMUP_REQUESTS, args.requests)
    print(
        f"{args.requests} sequential requests a row after {warmup} warm-up; ratio = median / "
        f"median of {TRIVIAL_PAGE.path} (pages) or {TRIVIAL_API.path} (API)."
    )
    print(format_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
