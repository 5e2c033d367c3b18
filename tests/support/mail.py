"""E-mail backends for tests: real backends that record or fail the way servers do."""

from __future__ import annotations

import fcntl
import os
import smtplib
import threading
import time

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend


class FlakyBackend(BaseEmailBackend):
    """Drops the connection for the first ``failures`` sends, then delivers to mail.outbox."""

    failures = 0
    opened = 0

    def open(self):
        type(self).opened += 1
        return True

    def send_messages(self, messages):
        if type(self).failures > 0:
            type(self).failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        mail.outbox.extend(messages)
        return len(messages)


class RejectingBackend(BaseEmailBackend):
    """A mail server that refuses the recipient for good (550)."""

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (550, b"5.1.1 No such user here")})


class FileLogBackend(BaseEmailBackend):
    """Appends each message's Message-ID to MAILBOX_PATH, across processes.

    Used with a worker in a subprocess that the test kills: the file is what reached the
    "mail server". MAILBOX_DELAY (seconds) slows each send so the kill lands mid-batch.
    """

    def send_messages(self, messages):
        path = os.environ["MAILBOX_PATH"]
        delay = float(os.environ.get("MAILBOX_DELAY", "0"))
        for message in messages:
            if delay:
                time.sleep(delay)
            line = f"{message.extra_headers['Message-ID']} {message.to[0]}\n".encode()
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                os.write(fd, line)
                os.fsync(fd)
            finally:
                os.close(fd)
        return len(messages)


def read_mailbox(path: str) -> list[str]:
    """The Message-IDs that reached the file mailbox, in order (repeats included)."""
    if not os.path.exists(path):
        return []
    with open(path) as handle:
        return [line.split(" ", 1)[0] for line in handle if line.strip()]


class ScriptedBackend(BaseEmailBackend):
    """Raises the next exception of ``errors`` for each send while any are left, then
    delivers to mail.outbox. Every message handed to it is recorded in ``handed`` as
    (monotonic time, Message-ID), failed or not: what a mail server would have seen tried."""

    errors: list[BaseException] = []
    handed: list[tuple[float, str]] = []

    def send_messages(self, messages):
        cls = type(self)
        for message in messages:
            cls.handed.append((time.monotonic(), message.extra_headers["Message-ID"]))
            if cls.errors:
                raise cls.errors.pop(0)
        mail.outbox.extend(messages)
        return len(messages)

    @classmethod
    def reset(cls, errors: list[BaseException] | None = None) -> None:
        cls.errors = list(errors or [])
        cls.handed = []


class GatedBackend(BaseEmailBackend):
    """A slow mail server: the first send takes ``first_delay`` seconds, and the send of
    message number ``gate_at`` (0-based) waits for ``release`` after setting ``entered``,
    so a test can act while that message is in flight."""

    first_delay = 0.0
    gate_at = -1
    sends = 0
    entered = threading.Event()
    release = threading.Event()

    def send_messages(self, messages):
        cls = type(self)
        for message in messages:
            if cls.sends == 0 and cls.first_delay:
                time.sleep(cls.first_delay)
            if cls.sends == cls.gate_at:
                cls.entered.set()
                cls.release.wait(timeout=30)
            cls.sends += 1
            mail.outbox.append(message)
        return len(messages)

    @classmethod
    def reset(cls, *, first_delay: float, gate_at: int) -> None:
        cls.first_delay, cls.gate_at, cls.sends = first_delay, gate_at, 0
        cls.entered, cls.release = threading.Event(), threading.Event()
