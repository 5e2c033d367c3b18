"""E-mail backends for tests: real backends that record or fail the way servers do."""

from __future__ import annotations

import fcntl
import os
import smtplib
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
