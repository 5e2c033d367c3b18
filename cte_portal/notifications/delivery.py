"""Sending outbox rows: claim, send over one connection, mark; the sweep; the digest.

Called by the Celery tasks in ``tasks.py``; plain functions so tests and the benchmark can
measure them directly.
"""

from __future__ import annotations

import logging
import smtplib
import socket
import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from . import kinds
from .enums import State
from .models import Notification

logger = logging.getLogger(__name__)


def is_transient(exc: BaseException) -> bool:
    """Worth retrying: the mail server was unreachable or said "try later" (4xx)."""
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    return isinstance(
        exc,
        smtplib.SMTPServerDisconnected
        | smtplib.SMTPConnectError
        | ConnectionError
        | socket.timeout
        | TimeoutError,
    )


def build_message(row: Notification, connection: Any = None) -> EmailMultiAlternatives:
    """The e-mail for a row. The unsubscribe link is personal, so it is added here, not in
    the body rendered once for every recipient."""
    headers = {"Message-ID": row.message_id}
    text, html = row.body_text, row.body_html
    spec = kinds.KINDS.get(row.kind)
    if spec is not None and spec.unsubscribe_link and row.user_id is not None:
        from .services import unsubscribe_token

        url = settings.PORTAL_BASE_URL + reverse(
            "notifications:unsubscribe",
            args=[unsubscribe_token(user_id=row.user_id, kind=row.kind)],
        )
        headers["List-Unsubscribe"] = f"<{url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        with translation.override(row.language):
            label = _("Unsubscribe from these e-mails")
        text = f"{text}\n--\n{label}: {url}\n"
        html = html.replace(
            "<!--unsubscribe-->", f'<p><a href="{escape(url)}">{escape(label)}</a></p>'
        )
    message = EmailMultiAlternatives(
        subject=row.subject, body=text, to=[row.email], headers=headers, connection=connection
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message


def claim(ids: Sequence[int]) -> list[Notification]:
    """QUEUED → SENDING with a conditional update: two workers can never both claim a row."""
    token = uuid.uuid4()
    Notification.objects.filter(pk__in=ids, state=State.QUEUED).update(
        state=State.SENDING,
        claim=token,
        attempts=F("attempts") + 1,
        state_changed_at=timezone.now(),
    )
    return list(Notification.objects.filter(claim=token, state=State.SENDING).order_by("pk"))


def _finish(row: Notification, state: State, error: str = "") -> None:
    now = timezone.now()
    Notification.objects.filter(pk=row.pk, claim=row.claim).update(
        state=state,
        last_error=error[:2000],
        sent_at=now if state == State.SENT else None,
        state_changed_at=now,
    )


def deliver_batch(ids: Sequence[int]) -> list[int]:
    """Send the claimable rows among ``ids`` over one connection.

    Each row is marked SENT right after its own send, so a worker killed mid-batch can repeat
    at most the one message in flight (with the same Message-ID). Returns the ids that met a
    transient error and went back to QUEUED for a retry; permanent errors mark FAILED.
    """
    rows = claim(ids)
    if not rows:
        return []
    retry: list[int] = []
    connection = get_connection()
    relaxed_commits(True)
    try:
        # Opened once: the SMTP backend keeps an open connection across send_messages calls.
        connection.open()
        for index, row in enumerate(rows):
            try:
                connection.send_messages([build_message(row, connection)])
            except Exception as exc:
                if not _give_up(row, exc):
                    # The connection is suspect: put this row and the rest back for a retry.
                    retry = _requeue(rows[index:], exc)
                    break
            else:
                _finish(row, State.SENT)
    except Exception as exc:  # the mail server could not even be reached
        retry = _requeue([r for r in rows if r.pk not in _finished_ids(rows)], exc)
    finally:
        relaxed_commits(False)
        try:
            connection.close()
        except Exception:  # closing a broken SMTP connection must not hide the real outcome
            logger.debug("Closing the mail connection failed", exc_info=True)
    return retry


def relaxed_commits(on: bool) -> None:
    """Don't wait for the disk on each "marked SENT" commit (PostgreSQL only).

    A killed *worker* loses nothing: the commit is already in PostgreSQL's memory. Only a crash
    of the database server itself could lose the last marks, and then the sweep resends those
    messages with the same Message-ID. Waiting for an fsync per message costs ~3 ms each.
    """
    if db_connection.vendor == "postgresql":
        with db_connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF" if on else "RESET synchronous_commit")


def _give_up(row: Notification, exc: Exception) -> bool:
    """Mark FAILED (and say so) if the error is permanent or the row is out of attempts."""
    if is_transient(exc) and row.attempts < settings.NOTIFICATIONS_MAX_ATTEMPTS:
        return False
    error = f"{exc.__class__.__name__}: {exc}"
    logger.warning("Notification %s failed for good: %s", row.pk, error)
    _finish(row, State.FAILED, error)
    return True


def _requeue(rows: Sequence[Notification], exc: Exception) -> list[int]:
    error = f"{exc.__class__.__name__}: {exc}"
    retry = []
    for row in rows:
        if not _give_up(row, exc):
            _finish(row, State.QUEUED, error)
            retry.append(row.pk)
    return retry


def _finished_ids(rows: Sequence[Notification]) -> set[int]:
    return set(
        Notification.objects.filter(pk__in=[r.pk for r in rows])
        .exclude(state=State.SENDING)
        .values_list("pk", flat=True)
    )


def retry_delay(attempts: int) -> int:
    """Exponential backoff: base, 2 x base, 4 x base... capped far below Redis' visibility
    timeout, so a retry's countdown never outlives the broker's own redelivery."""
    return min(settings.NOTIFICATIONS_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), 1800)


def stuck_rows(*, older_than: timedelta | None = None) -> list[int]:
    """Rows whose task was lost (QUEUED) or whose worker died mid-send (SENDING)."""
    if older_than is None:
        older_than = timedelta(seconds=settings.NOTIFICATIONS_STUCK_AFTER_SECONDS)
    cutoff = timezone.now() - older_than
    return list(
        Notification.objects.filter(
            state__in=[State.QUEUED, State.SENDING], state_changed_at__lte=cutoff
        )
        .order_by("pk")
        .values_list("pk", flat=True)[: settings.NOTIFICATIONS_SWEEP_LIMIT]
    )


def sweep(*, older_than: timedelta | None = None) -> int:
    """Put stuck rows back to QUEUED and dispatch them again. Returns how many."""
    from .services import dispatch

    ids = stuck_rows(older_than=older_than)
    if not ids:
        return 0
    Notification.objects.filter(pk__in=ids, state__in=[State.QUEUED, State.SENDING]).update(
        state=State.QUEUED, claim=None, state_changed_at=timezone.now()
    )
    dispatch(ids)
    return len(ids)


def send_digests(*, day: str | None = None) -> int:
    """One e-mail per person listing every notification waiting for their digest."""
    from .services import Recipient, notify

    day = day or timezone.localdate().isoformat()
    waiting: dict[int, list[Notification]] = defaultdict(list)
    for row in (
        Notification.objects.filter(state=State.DIGEST, user__isnull=False)
        .select_related("user")
        .order_by("user_id", "created_at")
    ):
        waiting[row.user_id].append(row)
    for rows in waiting.values():
        user = rows[0].user
        with transaction.atomic():
            notify(
                kind=kinds.DIGEST.key,
                event_key=f"{day}:{rows[-1].pk}",
                recipients=[Recipient.of(user)],
                context={"items": rows, "user": user},
                link=reverse("notifications:list"),
            )
            digest = Notification.objects.get(
                kind=kinds.DIGEST.key, event_key=f"{day}:{rows[-1].pk}", email=user.email
            )
            Notification.objects.filter(pk__in=[r.pk for r in rows], state=State.DIGEST).update(
                state=State.DIGESTED, digest=digest, state_changed_at=timezone.now()
            )
    return len(waiting)
