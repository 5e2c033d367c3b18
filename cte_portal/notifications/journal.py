"""The delivery journal: what a batch handed to the mail backend, in a file of its own.

A batch claims its rows in one statement and records in the database once, at its end. In
between, the only record of each send is a line in this journal, written before the message
is handed to the backend (``T <id>``) and after the backend took it (``S <id> <time>``): a
system call into the page cache, which survives the worker process being killed (SIGKILL,
the pool's hard time limit, an out-of-memory kill), where a database round trip per message
would cost more than the message itself.

The batch holds an exclusive ``flock`` on its file for as long as it runs; the kernel drops
the lock when the process dies. The sweep (``fold``) reads every journal: the rows it lists
as sent are marked SENT whether the batch is alive or not (that is always true), and the
journal of a batch whose lock is free (dead, or over without recording) is folded and removed:
its row in flight (``T`` without ``S``) is charged the attempt that never finished, and the
sweep sends it again, as it does the rows never tried. So a worker killed mid-batch repeats
at most the one message in flight.

Every worker, and the sweep, must see the same directory (``NOTIFICATIONS_JOURNAL_DIR``):
one machine's local disk, or a volume shared by the worker containers (docker-compose.yml). A
sweep that cannot see a dead batch's journal still loses nothing, but sends again what that
batch had sent (with the same Message-IDs).
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

SUFFIX = ".journal"


def problem() -> str | None:
    """Why this process cannot keep journals, or None: the folder must exist (or be
    creatable) and take a new file. Without it every batch fails before it sends anything
    and its rows wait for the sweep, which fails the same way."""
    try:
        probe = directory() / f".probe-{os.getpid()}-{uuid.uuid4().hex}.tmp"
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        probe.unlink()
    except OSError as exc:
        return f"{settings.NOTIFICATIONS_JOURNAL_DIR}: {exc.strerror or exc}"
    return None


def directory() -> Path:
    path = Path(settings.NOTIFICATIONS_JOURNAL_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


class Journal:
    """One batch's journal, locked by this process until ``remove`` or ``release``.

    Created under a temporary name, locked, then renamed into place: the sweep never sees a
    journal that is not yet locked (and so never folds a live batch as a dead one).
    """

    def __init__(self, token: uuid.UUID) -> None:
        folder = directory()
        self.token = token
        self.path = folder / f"{token.hex}{SUFFIX}"
        temporary = folder / f".{token.hex}.tmp"
        self.fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX)
            os.rename(temporary, self.path)
        except BaseException:
            os.close(self.fd)
            temporary.unlink(missing_ok=True)
            raise

    def handing(self, pk: int) -> None:
        """Row ``pk`` is about to be handed to the backend."""
        os.write(self.fd, b"T %d\n" % pk)

    def sent(self, pk: int) -> datetime:
        """The backend took row ``pk``: returns the time written down."""
        stamp = b"%.6f" % time.time()
        os.write(self.fd, b"S %d %s\n" % (pk, stamp))
        return _moment(stamp)  # exactly what the sweep would read back

    def remove(self) -> None:
        """The batch recorded everything in the database: the journal is of no more use."""
        self.path.unlink(missing_ok=True)
        os.close(self.fd)

    def release(self) -> None:
        """The batch could not record its sends (the database is unreachable): unlock the
        journal and leave it for the sweep to fold."""
        os.close(self.fd)


@dataclass
class Entries:
    """What one journal says: the rows sent (with when) and the rows handed over but not
    seen through (at most the one in flight when its batch stopped)."""

    token: uuid.UUID
    sent: dict[int, datetime] = field(default_factory=dict)
    unfinished: list[int] = field(default_factory=list)
    alive: bool = False


def parse(text: str, token: uuid.UUID) -> Entries:
    entries = Entries(token)
    handed: list[int] = []
    for line in text.splitlines(keepends=True):
        if not line.endswith("\n"):  # a line being written as the sweep reads
            break
        parts = line.split()
        try:
            if parts[0] == "T" and len(parts) == 2:
                handed.append(int(parts[1]))
            elif parts[0] == "S" and len(parts) == 3:
                entries.sent[int(parts[1])] = _moment(parts[2].encode())
        except (ValueError, IndexError, OverflowError):
            logger.warning("Unreadable line in the journal of batch %s: %r", token, line)
    entries.unfinished = [pk for pk in handed if pk not in entries.sent]
    return entries


def _moment(stamp: bytes) -> datetime:
    return datetime.fromtimestamp(float(stamp), UTC)


def read_all() -> list[tuple[Entries, Path, int]]:
    """Every journal with its entries, and an open descriptor that holds the lock of each
    dead one (closed by ``done``), so no two sweeps fold the same dead journal at once."""
    found = []
    for path in sorted(directory().glob(f"*{SUFFIX}")):
        try:
            token = uuid.UUID(path.name.removesuffix(SUFFIX))
        except ValueError:
            continue
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:  # its batch just finished
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            alive = False
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                os.close(fd)
                raise
            alive = True
        with os.fdopen(os.dup(fd), encoding="ascii", errors="replace") as handle:
            entries = parse(handle.read(), token)
        entries.alive = alive
        if alive:
            os.close(fd)
            fd = -1
        found.append((entries, path, fd))
    _remove_abandoned_temporaries()
    return found


def done(path: Path, fd: int) -> None:
    """A dead journal was folded into the database: remove it (under its lock)."""
    path.unlink(missing_ok=True)
    os.close(fd)


def _remove_abandoned_temporaries() -> None:
    """A process killed between creating its journal and renaming it wrote nothing in it
    (one a minute old: a younger one may be between its creation and its lock)."""
    for path in directory().glob(".*.tmp"):
        try:
            if time.time() - path.stat().st_mtime < 60:
                continue
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            pass  # being created right now
        else:
            path.unlink(missing_ok=True)
        finally:
            os.close(fd)
