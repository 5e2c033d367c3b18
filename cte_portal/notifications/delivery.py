"""Sending outbox rows: claim, send over one connection, record; the sweep; the digest.

Called by the Celery tasks in ``tasks.py``; plain functions so tests and the benchmark can
measure them directly.

The life of a row: QUEUED → (claimed with the rest of its batch: one conditional update,
so no two batches hold the same row) SENDING → handed to the backend, each send written in
the batch's journal (``journal.py``) → SENT, recorded with its attempt for the whole batch in
one statement at the batch's end. A batch hands messages over only within its lease (half of
``NOTIFICATIONS_STUCK_AFTER_SECONDS`` from its claim); the sweep takes a SENDING row back only
after the whole of it, once it has folded the journals: what a dead batch sent is marked
SENT, and only its message in flight can go out twice.
"""

from __future__ import annotations

import functools
import logging
import os
import smtplib
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, transaction
from django.db import connection as db_connection
from django.db.models import CharField, F, Max, Q, Value
from django.db.models.functions import Cast, Concat
from django.urls import get_script_prefix, reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from . import journal, kinds, sql
from .enums import State
from .models import Notification, message_id
from .services import unsubscribe_token

logger = logging.getLogger(__name__)

# A retry's countdown never reaches Redis' visibility timeout (an hour, settings.py): a task
# waiting longer than that would be handed out a second time.
RETRY_CAP_SECONDS = 1800


def is_transient(exc: BaseException) -> bool:
    """Worth retrying: the mail server was unreachable or said "try later" (4xx).

    Every socket-level failure is transient: refused or reset connections, timeouts, a DNS
    lookup that failed (``socket.gaierror``), an unreachable network or host, a broken TLS
    handshake (``ssl.SSLError``). The attempt limit bounds them all. SMTP's own errors say
    what they are with their code (``smtplib.SMTPException`` is an ``OSError`` too, so they
    are sorted first).
    """
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(exc, smtplib.SMTPException):  # e.g. no common authentication method
        return False
    return isinstance(exc, OSError)


@dataclass(frozen=True)
class _UnsubscribeLink:
    """What every message in one language shares around its personal token: the link's URL,
    its line under the text body and its paragraph in the HTML body. A token only holds
    characters that a URL keeps and HTML does not escape (base64url, ``:``), so it goes
    in between as it is."""

    url_before: str
    url_after: str
    text_before: str
    text_after: str
    html_before: str
    html_after: str


@functools.lru_cache(maxsize=16)
def _unsubscribe_link(base_url: str, script_prefix: str, language: str) -> _UnsubscribeLink:
    """``reverse()``, the translated label and their escaping once, not once per message."""
    url = base_url + reverse("notifications:unsubscribe", args=["TOKEN"])
    before, after = url.rsplit("TOKEN", 1)
    with translation.override(language):
        label = _("Unsubscribe from these e-mails")
    return _UnsubscribeLink(
        url_before=before,
        url_after=after,
        text_before=f"\n--\n{label}: {before}",
        text_after=f"{after}\n",
        html_before=f'<p><a href="{escape(before)}',
        html_after=f'{escape(after)}">{escape(label)}</a></p>',
    )


def build_message(row: Notification | Claimed, connection: Any = None) -> EmailMultiAlternatives:
    """The e-mail for a row. The unsubscribe link is personal, so it is added here, not in
    the body rendered once for every recipient."""
    headers = {"Message-ID": row.message_id}
    text, html = row.body_text, row.body_html
    spec = kinds.KINDS.get(row.kind)
    if spec is not None and spec.unsubscribe_link and row.user_id is not None:
        token = unsubscribe_token(user_id=row.user_id, kind=row.kind)
        link = _unsubscribe_link(settings.PORTAL_BASE_URL, get_script_prefix(), row.language)
        headers["List-Unsubscribe"] = f"<{link.url_before}{token}{link.url_after}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        text = f"{text}{link.text_before}{token}{link.text_after}"
        html = html.replace("<!--unsubscribe-->", f"{link.html_before}{token}{link.html_after}")
    message = EmailMultiAlternatives(
        subject=row.subject, body=text, to=[row.email], headers=headers, connection=connection
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message


def lease_seconds() -> float:
    """How long a batch may hand messages to the backend after its claim: half the time
    after which the sweep takes a SENDING row back, so however slow a batch is, it has
    stopped (and put its untried rows back) long before the sweep may take them. The pool's
    hard time limit, shorter still, ends a prefork batch sooner (settings.py)."""
    return settings.NOTIFICATIONS_STUCK_AFTER_SECONDS / 2


class Claimed:
    """A row as its batch claimed it: only what sending it needs. A model instance costs
    about as much to build as the database takes to claim the row (~25 µs)."""

    COLUMNS = (
        "id", "user_id", "email", "kind", "language", "subject", "body_text", "body_html",
        "resends", "attempts",
    )  # fmt: skip
    __slots__ = ("pk", *COLUMNS[1:], "claim")  # COLUMNS[0] is "id"

    def __init__(self, values: Sequence[Any], claim: uuid.UUID) -> None:
        (
            self.pk, self.user_id, self.email, self.kind, self.language, self.subject,
            self.body_text, self.body_html, self.resends, self.attempts,
        ) = values  # fmt: skip
        self.claim = claim

    @property
    def message_id(self) -> str:
        return message_id(self.pk, self.resends)


def claim(ids: Sequence[int], token: uuid.UUID) -> list[Claimed]:
    """Take the rows among ``ids`` still QUEUED for this batch (QUEUED → SENDING with its
    token) and read them, in order: one conditional UPDATE ... RETURNING, so a row another
    batch claimed or sent meanwhile is not among them.

    PostgreSQL: the batch's commits don't wait for the disk (``RELAXED_COMMITS``), set in the
    same round trip; ``strict_commits`` resets it after the batch."""
    if not ids:
        return []
    statement, params = claim_statement(ids, token)
    if db_connection.vendor == "postgresql":
        statement = f"{RELAXED_COMMITS}; {statement}"
    with db_connection.cursor() as cursor:
        cursor.execute(statement, params)
        rows = [Claimed(values, token) for values in cursor.fetchall()]
    return sorted(rows, key=lambda row: row.pk)


def claim_statement(ids: Sequence[int], token: uuid.UUID) -> tuple[str, list[Any]]:
    """The claim's UPDATE ... RETURNING (the columns of ``Claimed``, in its order).

    The rows are found by primary key: the test of their state is written ``(state = %s)
    IS TRUE``, the same test in a form no index answers. Written ``state = %s``, the planner
    may take every QUEUED row from the index by state and keep the batch's among them: it
    thinks that index holds almost none (statistics taken while the outbox was quiet) when
    a fan-out has just queued thousands, and each batch of that fan-out would read them all.
    """
    ops = db_connection.ops
    table = ops.quote_name(Notification._meta.db_table)
    columns = ", ".join(ops.quote_name(column) for column in Claimed.COLUMNS)
    among, among_params = sql.id_among(ids)
    statement = (
        f"UPDATE {table} SET state = %s, claim = %s, retry_at = NULL, "  # noqa: S608
        f"state_changed_at = %s WHERE {among} AND (state = %s) IS TRUE RETURNING {columns}"
    )
    params = [
        State.SENDING.value,
        _claim_value(token),
        ops.adapt_datetimefield_value(timezone.now()),
        *among_params,
        State.QUEUED.value,
    ]
    return statement, params


def _claim_value(token: uuid.UUID) -> Any:
    return Notification._meta.get_field("claim").get_db_prep_value(token, db_connection)


# Don't wait for the disk on a batch's commits (PostgreSQL). A killed *worker* loses nothing:
# a commit is in PostgreSQL's memory once it answers. Only a crash of the database server
# itself can lose the last commits (a fraction of a second of them): a lost claim leaves rows
# QUEUED, a lost record leaves them SENDING for the sweep to send again with the same
# Message-IDs; a possible repeat, never a lost message. Set for the session by ``claim``, for
# the length of a batch.
RELAXED_COMMITS = "SET synchronous_commit TO OFF"


def strict_commits() -> None:
    """After a batch: this session's commits wait for the disk again (PostgreSQL)."""
    if db_connection.vendor == "postgresql":
        with db_connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def record_sent(
    token: uuid.UUID, sent: dict[int, datetime], *, claimed_before: datetime | None = None
) -> int:
    """Mark SENT, with the time of each send, the rows of batch ``token`` that its journal
    lists as sent, count the attempt each took and erase the bodies of confidential mail
    (a password-reset link is of no use to anyone once it has gone out): one statement for
    the batch. Only rows the batch still holds change (with ``claimed_before``, only those
    it has held since then). Returns how many changed."""
    if not sent:
        return 0
    statement, params = record_statement(token, sent, claimed_before=claimed_before)
    with db_connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def record_statement(
    token: uuid.UUID, sent: dict[int, datetime], *, claimed_before: datetime | None = None
) -> tuple[str, list[Any]]:
    """``record_sent``'s UPDATE. Only its fixed fragments are joined in; every value is a
    parameter."""
    ops = db_connection.ops
    ids = list(sent)
    confidential = kinds.confidential() or [""]
    table = ops.quote_name(Notification._meta.db_table)
    # Each row its own time, built as plain SQL (the ORM takes longer to build a hundred
    # When() clauses than the database takes to run them). PostgreSQL: looked up in an array
    # parameter by the row's place among the ids; elsewhere a CASE over the batch's ids.
    if db_connection.vendor == "postgresql":
        sent_at = "(%s::timestamptz[])[array_position(%s::bigint[], id)]"
        params: list[Any] = [sql.array_literal([at.isoformat() for at in sent.values()])]
        params.append(sql.array_literal(ids))
    else:
        sent_at = "CASE id " + " ".join(["WHEN %s THEN %s"] * len(ids)) + " END"
        params = []
        for pk, at in sent.items():
            params += [pk, ops.adapt_datetimefield_value(at)]
    secret = "kind IN (" + ", ".join(["%s"] * len(confidential)) + ")"
    # By primary key, as in claim_statement: not every SENDING row from the index by state.
    among, among_params = sql.id_among(ids)
    held = f"{among} AND (claim = %s AND state = %s) IS TRUE"
    params += [*confidential, *confidential]
    params += [State.SENT.value, "", ops.adapt_datetimefield_value(timezone.now())]
    params += [*among_params, _claim_value(token), State.SENDING.value]
    if claimed_before is not None:
        held += " AND state_changed_at <= %s"
        params.append(ops.adapt_datetimefield_value(claimed_before))
    statement = (
        f"UPDATE {table} SET sent_at = {sent_at}, "  # noqa: S608
        f"body_text = CASE WHEN {secret} THEN '' ELSE body_text END, "
        f"body_html = CASE WHEN {secret} THEN '' ELSE body_html END, "
        "state = %s, attempts = attempts + 1, last_error = %s, retry_at = NULL, "
        f"state_changed_at = %s WHERE {held}"
    )
    return statement, params


def fold_journals(*, cutoff: datetime) -> int:
    """Record what the batches' journals say (the sweep, before it takes rows back).

    A dead batch's journal (its lock is free): its sends are marked SENT, its row in flight
    is charged the attempt that never finished (so a message that kills its worker every
    time ends FAILED, not swept for ever), and the journal is removed. A live batch's: only
    the sends of rows it has held since ``cutoff`` (it outlived its lease, in a send that
    hangs), which the sweep would otherwise take back and send again. Returns the rows
    marked SENT.
    """
    folded = 0
    for entries, path, fd in journal.read_all():
        try:
            folded += record_sent(
                entries.token, entries.sent, claimed_before=cutoff if entries.alive else None
            )
            if not entries.alive and entries.unfinished:
                Notification.objects.filter(
                    pk__in=entries.unfinished, claim=entries.token, state=State.SENDING
                ).update(attempts=F("attempts") + 1)
        except BaseException:
            if fd >= 0:
                os.close(fd)  # left for the next sweep
            raise
        if fd >= 0:
            journal.done(path, fd)
    return folded


def _finish(
    row: Claimed, state: State, error: str = "", *, retry_at: datetime | None = None
) -> None:
    """A row this batch handed to the backend leaves SENDING without being sent (the error
    paths): the attempt is counted."""
    Notification.objects.filter(pk=row.pk, claim=row.claim, state=State.SENDING).update(
        state=state,
        claim=None,
        attempts=F("attempts") + 1,
        last_error=error[:2000],
        retry_at=retry_at,
        state_changed_at=timezone.now(),
    )


def deliver_batch(ids: Sequence[int]) -> list[int]:
    """Send the rows among ``ids`` still QUEUED, over one connection.

    The batch claims its rows in one statement, writes each send in its journal (before the
    hand-over and after it) and records them all SENT in one statement at its end: a worker
    killed mid-batch leaves a journal from which the sweep marks what went out and sends the
    rest, repeating at most the one message in flight (with the same Message-ID). A
    transient error puts that row back to QUEUED with a backoff from its own attempts
    (FAILED at the limit) and the rest of the batch with it, untried and uncharged; a
    permanent error marks that row FAILED and the batch goes on. Celery's soft time limit,
    or the end of the batch's lease, puts the rest back and stops. Returns the ids left
    QUEUED: the task retries them when their ``retry_at`` is due.
    """
    token = uuid.uuid4()
    # The lease runs from before the claim: the sweep counts from the claim's own time.
    lease_ends = time.monotonic() + lease_seconds()
    log = journal.Journal(token)
    sent: dict[int, datetime] = {}
    try:
        rows = claim(ids, token)
        retry = _deliver(rows, log, sent, lease_ends) if rows else []
    finally:
        try:
            recorded = record_sent(token, sent)
        except Exception:  # the database is gone: the sweep folds the journal later
            logger.warning("Batch %s could not record its sends", token, exc_info=True)
            log.release()
            raise
        finally:
            try:
                strict_commits()
            except DatabaseError:  # a broken connection must not hide the real outcome
                logger.debug("Resetting synchronous_commit failed", exc_info=True)
        log.remove()
    if recorded < len(sent):  # it outlived its lease in a send that hung past the sweep
        logger.warning(
            "Batch %s: %d of its sends were recorded, or their rows taken back, by the sweep",
            token,
            len(sent) - recorded,
        )
    return retry


def _deliver(
    rows: list[Claimed], log: journal.Journal, sent: dict[int, datetime], lease_ends: float
) -> list[int]:
    connection = get_connection()
    opened = False
    handed: Claimed | None = None  # handed to the backend, not seen through
    retry: list[int] = []
    try:
        for position, row in enumerate(rows):
            if time.monotonic() >= lease_ends:
                logger.warning("Batch lease over: %d notifications go back", len(rows) - position)
                return _put_back(rows[position:], retry_at=timezone.now())
            try:
                message = build_message(row, connection)
                if not opened:
                    # Opened once, lazily: the SMTP backend keeps its connection across
                    # send_messages calls. A server that cannot be reached is this row's error.
                    connection.open()
                    opened = True
                log.handing(row.pk)
                handed = row
                connection.send_messages([message])
            except SoftTimeLimitExceeded:
                raise
            except Exception as exc:
                handed = None
                if not is_transient(exc):
                    _fail(row, f"{exc.__class__.__name__}: {exc}")
                    continue
                # The connection is suspect: this row and the rest wait for a retry.
                retry = _retry_later(row, rows[position + 1 :], exc)
                break
            sent[row.pk] = log.sent(row.pk)
            handed = None
    except SoftTimeLimitExceeded:
        # The task ran out of time: keep what went out, put the row in flight back (it may
        # or may not have reached the server: at-least-once; its attempt counts) and stop.
        rest = [row for row in rows if row.pk not in sent]
        logger.warning("Soft time limit: %d notifications go back", len(rest))
        if handed is not None:
            _finish(handed, State.QUEUED, "Interrupted by the task's time limit")
        retry = _put_back(rest, retry_at=timezone.now())
    finally:
        try:
            connection.close()
        except Exception:  # closing a broken SMTP connection must not hide the real outcome
            logger.debug("Closing the mail connection failed", exc_info=True)
    return retry


def _put_back(rows: Sequence[Claimed], *, retry_at: datetime | None) -> list[int]:
    """``rows`` of this batch wait for a retry due at ``retry_at``: back to QUEUED, their
    attempts as they were (one that already left SENDING stays as it is)."""
    ids = [row.pk for row in rows]
    if ids:
        Notification.objects.filter(pk__in=ids, claim=rows[0].claim, state=State.SENDING).update(
            state=State.QUEUED, claim=None, retry_at=retry_at, state_changed_at=timezone.now()
        )
    return ids


def _fail(row: Claimed, error: str) -> None:
    logger.warning("Notification %s failed for good: %s", row.pk, error)
    _finish(row, State.FAILED, error)


def _retry_later(row: Claimed, rest: Sequence[Claimed], exc: Exception) -> list[int]:
    """A transient error on ``row``: back to QUEUED with a backoff from its own attempts, or
    FAILED once they reach the limit. The rows after it were not tried: they go back QUEUED,
    uncharged, due with it (the server is likely down for them too)."""
    error = f"{exc.__class__.__name__}: {exc}"
    attempts = row.attempts + 1  # this one included
    if attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
        _fail(row, f"Gave up after {attempts} attempts: {error}")
        return _put_back(rest, retry_at=timezone.now())
    retry_at = timezone.now() + timedelta(seconds=retry_delay(attempts))
    _finish(row, State.QUEUED, error, retry_at=retry_at)
    return [row.pk, *_put_back(rest, retry_at=retry_at)]


def retry_delay(attempts: int) -> float:
    """Exponential backoff from a row's attempts so far: base, 2 x base, 4 x base... capped
    far below Redis' visibility timeout, so a retry's countdown never outlives the broker's
    own redelivery."""
    base = settings.NOTIFICATIONS_RETRY_BASE_SECONDS
    return min(base * 2 ** max(attempts - 1, 0), RETRY_CAP_SECONDS)


def retry_countdown(ids: Sequence[int]) -> float:
    """Seconds until the latest of these rows' retries is due (0 if already due)."""
    due = Notification.objects.filter(pk__in=ids).aggregate(due=Max("retry_at"))["due"]
    if due is None:
        return 0
    return max((due - timezone.now()).total_seconds(), 0)


def _stuck(cutoff: datetime) -> Q:
    """Rows whose task was lost (QUEUED, and not waiting for a retry that is not due yet) or
    whose worker died mid-send (SENDING, not taken by a live worker since the cutoff)."""
    waiting = Q(retry_at__isnull=True) | Q(retry_at__lte=cutoff)
    return Q(state_changed_at__lte=cutoff) & (
        Q(state=State.SENDING) | (Q(state=State.QUEUED) & waiting)
    )


def stuck_rows(*, older_than: timedelta | None = None) -> list[int]:
    """Rows whose task was lost (QUEUED) or whose worker died mid-send (SENDING)."""
    cutoff = timezone.now() - _older_than(older_than)
    return list(
        Notification.objects.filter(_stuck(cutoff))
        .order_by("pk")
        .values_list("pk", flat=True)[: settings.NOTIFICATIONS_SWEEP_LIMIT]
    )


def _older_than(older_than: timedelta | None) -> timedelta:
    if older_than is None:
        return timedelta(seconds=settings.NOTIFICATIONS_STUCK_AFTER_SECONDS)
    return older_than


def sweep(*, older_than: timedelta | None = None) -> int:
    """Put stuck rows back to QUEUED and dispatch them again. Returns how many.

    First the batches' journals are folded (``fold_journals``): what a dead batch sent is
    SENT and only its row in flight and its untried rows come back. The rows are locked
    while the sweep decides (a row a batch is claiming right now is skipped, not waited for)
    and the UPDATE repeats the stuck condition, so a row that a batch claimed since it was
    found is never taken from that batch. A row out of
    attempts (say, one whose send kills the worker every time) is marked FAILED instead of
    being swept forever.
    """
    from .services import dispatch

    cutoff = timezone.now() - _older_than(older_than)
    limit = settings.NOTIFICATIONS_MAX_ATTEMPTS
    fold_journals(cutoff=cutoff)
    with transaction.atomic():
        found = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(_stuck(cutoff))
            .order_by("pk")
            .values_list("pk", "attempts")[: settings.NOTIFICATIONS_SWEEP_LIMIT]
        )
        spent = [pk for pk, attempts in found if attempts >= limit]
        ids = [pk for pk, attempts in found if attempts < limit]
        now = timezone.now()
        if spent:
            gave_up = Notification.objects.filter(_stuck(cutoff), pk__in=spent).update(
                state=State.FAILED,
                claim=None,
                retry_at=None,
                state_changed_at=now,
                last_error=Concat(
                    Value("Gave up after "),
                    Cast("attempts", CharField()),
                    Value(" attempts (the send never finished). Last error: "),
                    "last_error",
                    output_field=CharField(),
                ),
            )
            logger.warning("Sweep: %d notifications out of attempts marked FAILED", gave_up)
        if ids:
            Notification.objects.filter(_stuck(cutoff), pk__in=ids).update(
                state=State.QUEUED, claim=None, retry_at=None, state_changed_at=now
            )
            transaction.on_commit(lambda: dispatch(ids))
    return len(ids)


def send_digests(*, day: str | None = None) -> int:
    """One e-mail per person listing every notification waiting for their digest.

    Each person's digest is its own transaction, over rows locked with SKIP LOCKED: two runs
    at once never put a row in two digests, and one person's failure (logged) leaves the
    others' digests to go out. Returns how many digests were written.
    """
    day = day or timezone.localdate().isoformat()
    user_ids = list(
        Notification.objects.filter(state=State.DIGEST, user__isnull=False)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )
    written = 0
    for user_id in user_ids:
        try:
            with transaction.atomic():
                written += _send_digest(user_id=user_id, day=day)
        except Exception:
            logger.exception("The digest for user %s failed; the others go on", user_id)
    return written


def _send_digest(*, user_id: int, day: str) -> int:
    from cte_portal.users.models import User

    from .services import Recipient, notify_ids

    rows = list(
        Notification.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(user_id=user_id, state=State.DIGEST)
        .order_by("created_at", "pk")
    )
    if not rows:  # another run is sending this person's digest
        return 0
    user = User.objects.get(pk=user_id)
    created = notify_ids(
        kind=kinds.DIGEST.key,
        event_key=f"{day}:{rows[-1].pk}",
        recipients=[Recipient.of(user)],
        context={"items": rows, "user": user},
        link=reverse("notifications:list"),
    )
    if len(created) != 1:
        raise RuntimeError(f"Digest {day}:{rows[-1].pk} for user {user_id} already exists")
    Notification.objects.filter(pk__in=[r.pk for r in rows], state=State.DIGEST).update(
        state=State.DIGESTED, digest_id=created[0], state_changed_at=timezone.now()
    )
    return 1
