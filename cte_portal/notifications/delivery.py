"""Sending outbox rows: claim, send over one connection, mark; the sweep; the digest.

Called by the Celery tasks in ``tasks.py``; plain functions so tests and the benchmark can
measure them directly.

The life of a row: QUEUED → (taken: a conditional update by the worker whose turn it is,
right before the send; it claims the row and counts the attempt) SENDING → handed to the
backend → SENT, marked before the next row is handed over. A row that someone else took or
sent meanwhile (another worker, the task the sweep dispatched) is skipped, so however slow a
batch is, no two of them send the same row.
"""

from __future__ import annotations

import functools
import logging
import re
import smtplib
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, transaction
from django.db import connection as db_connection
from django.db.models import CharField, Max, Q, Value
from django.db.models.functions import Cast, Concat
from django.urls import get_script_prefix, reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from . import kinds
from .enums import State
from .models import Notification

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


def _unsubscribe_url(token: str) -> str:
    """The absolute unsubscribe link for a token: ``reverse()`` once, not once per message
    (a signed token only holds characters that a URL keeps as they are)."""
    before, after = _unsubscribe_url_parts(settings.PORTAL_BASE_URL, get_script_prefix())
    return f"{before}{token}{after}"


@functools.lru_cache(maxsize=4)
def _unsubscribe_url_parts(base_url: str, script_prefix: str) -> tuple[str, str]:
    url = base_url + reverse("notifications:unsubscribe", args=["TOKEN"])
    before, after = url.rsplit("TOKEN", 1)
    return before, after


@functools.lru_cache(maxsize=16)
def _unsubscribe_label(language: str) -> str:
    with translation.override(language):
        return _("Unsubscribe from these e-mails")


def build_message(row: Notification, connection: Any = None) -> EmailMultiAlternatives:
    """The e-mail for a row. The unsubscribe link is personal, so it is added here, not in
    the body rendered once for every recipient."""
    headers = {"Message-ID": row.message_id}
    text, html = row.body_text, row.body_html
    spec = kinds.KINDS.get(row.kind)
    if spec is not None and spec.unsubscribe_link and row.user_id is not None:
        from .services import unsubscribe_token

        url = _unsubscribe_url(unsubscribe_token(user_id=row.user_id, kind=row.kind))
        headers["List-Unsubscribe"] = f"<{url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        label = _unsubscribe_label(row.language)
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


def pending(ids: Sequence[int]) -> list[Notification]:
    """The rows among ``ids`` still waiting to be sent, in order. Reading them claims
    nothing: each is taken, with a conditional update, only as its turn comes (``_Marks``)."""
    return list(Notification.objects.filter(pk__in=ids, state=State.QUEUED).order_by("pk"))


class _Marks:
    """The per-message statement of one batch: mark the row just sent SENT, take the next.

    Taking is the claim: QUEUED → SENDING with this batch's token, by a conditional update
    right before the row is handed to the backend, so two workers (or a worker and the task
    the sweep dispatched) can never both send it, however slow a batch is. It counts the
    attempt and stamps ``state_changed_at``, so the sweep sees a live send. ``__call__``
    returns the ids the statement changed: a row to take that is missing from it was sent or
    taken by someone else, and this worker skips it.

    Marking the previous row in the same statement as taking the next changes nothing to the
    bound on repeats: no message is handed to the backend between the two, so a worker killed
    at any point leaves at most the one message in flight unmarked. One commit per message
    is most of what the outbox costs: hence one raw UPDATE by primary key on one cursor for
    the batch, its SQL built once, no ORM.
    """

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor
        self.token = uuid.uuid4()
        self.params = {
            "claim": Notification._meta.get_field("claim").get_db_prep_value(
                self.token, db_connection
            ),
            "queued": State.QUEUED.value,
            "sending": State.SENDING.value,
            "sent_state": State.SENT.value,
        }
        self.table = db_connection.ops.quote_name(Notification._meta.db_table)
        # PostgreSQL: each shape of the statement is parsed and planned once per batch
        # (PREPARE), then only executed: planning it again for every message cost about a
        # quarter of the statement.
        self.prepare = db_connection.vendor == "postgresql"
        self.prepared: dict[tuple[bool, bool, bool], str] = {}

    def __call__(self, *, sent: Notification | None, take: Notification | None) -> set[int]:
        erase = sent is not None and kinds.is_confidential(sent.kind)
        shape = (sent is not None, erase, take is not None)
        params = {
            **self.params,
            "sent": sent.pk if sent is not None else None,
            "take": take.pk if take is not None else None,
            "now": db_connection.ops.adapt_datetimefield_value(timezone.now()),
        }
        if self.prepare:
            self.cursor.execute(self._prepared(shape), params)
        else:
            self.cursor.execute(_marks_sql(self.table, *shape), params)
        changed = {pk for (pk,) in self.cursor.fetchall()}
        if sent is not None and sent.pk not in changed:
            # Sent, but the sweep had taken it back meanwhile: it may go out twice.
            logger.warning("Notification %s was sent after the sweep took it back", sent.pk)
        if take is not None and take.pk in changed:
            take.claim, take.state = self.token, State.SENDING
            take.attempts += 1
        return changed

    def _prepared(self, shape: tuple[bool, bool, bool]) -> str:
        """``EXECUTE`` of this shape's prepared statement (prepared on first use)."""
        if shape not in self.prepared:
            name = f"notification_marks_{self.token.hex}_{len(self.prepared)}"
            body, names = _numbered(_marks_sql(self.table, *shape))
            types = ", ".join(_PARAMETER_TYPES[n] for n in names)
            self.cursor.execute(f"PREPARE {name} ({types}) AS {body}")
            arguments = ", ".join(f"%({n})s" for n in names)
            self.prepared[shape] = f"EXECUTE {name} ({arguments})"
        return self.prepared[shape]

    def close(self) -> None:
        """Drop this batch's prepared statements (they live as long as the connection)."""
        for statement in self.prepared.values():
            name = statement.split(" ", 2)[1]
            try:
                self.cursor.execute(f"DEALLOCATE {name}")
            except DatabaseError:  # a broken connection took them with it
                logger.debug("Deallocating %s failed", name, exc_info=True)
        self.prepared.clear()


_PARAMETER_TYPES = {
    "claim": "uuid",
    "queued": "text",
    "sending": "text",
    "sent_state": "text",
    "sent": "bigint",
    "take": "bigint",
    "now": "timestamptz",
}


def _numbered(sql: str) -> tuple[str, list[str]]:
    """``%(name)s`` placeholders as PREPARE's ``$1, $2...``, and the names in that order."""
    names: list[str] = []

    def number(match: re.Match[str]) -> str:
        if match.group(1) not in names:
            names.append(match.group(1))
        return f"${names.index(match.group(1)) + 1}"

    return re.sub(r"%\((\w+)\)s", number, sql), names


@functools.lru_cache(maxsize=16)
def _marks_sql(table: str, sent: bool, erase: bool, take: bool) -> str:
    """The statement of ``_Marks`` for one shape (a row sent, erased, taken), built once."""
    if sent and take:
        sets = ["state = CASE WHEN id = %(take)s THEN %(sending)s ELSE %(sent_state)s END"]
    else:
        sets = ["state = %(sent_state)s" if sent else "state = %(sending)s"]
    if sent:
        sets += [
            "sent_at = CASE WHEN id = %(sent)s THEN %(now)s ELSE sent_at END",
            "last_error = CASE WHEN id = %(sent)s THEN '' ELSE last_error END",
        ]
    if erase:  # a password-reset link is of no use to anyone once it has gone out
        sets += [
            "body_text = CASE WHEN id = %(sent)s THEN '' ELSE body_text END",
            "body_html = CASE WHEN id = %(sent)s THEN '' ELSE body_html END",
        ]
    if take:
        sets += [
            "claim = %(claim)s",
            "attempts = CASE WHEN id = %(take)s THEN attempts + 1 ELSE attempts END",
        ]
    sets += ["retry_at = NULL", "state_changed_at = %(now)s"]
    ids, rows = [], []
    if sent:
        ids.append("%(sent)s")
        rows.append("(id = %(sent)s AND claim = %(claim)s AND state = %(sending)s)")
    if take:
        ids.append("%(take)s")
        rows.append("(id = %(take)s AND state = %(queued)s)")
    # Only these fixed fragments are joined in; every value is a parameter.
    return (
        f"UPDATE {table} SET {', '.join(sets)} "  # noqa: S608
        f"WHERE id IN ({', '.join(ids)}) AND ({' OR '.join(rows)}) RETURNING id"
    )


def _finish(
    row: Notification, state: State, error: str = "", *, retry_at: datetime | None = None
) -> None:
    """A row this worker took leaves SENDING (the error paths; SENT goes through
    ``_Marks``)."""
    Notification.objects.filter(pk=row.pk, claim=row.claim, state=State.SENDING).update(
        state=state,
        claim=None,
        last_error=error[:2000],
        retry_at=retry_at,
        state_changed_at=timezone.now(),
    )


def deliver_batch(ids: Sequence[int]) -> list[int]:
    """Send the rows among ``ids`` still QUEUED, over one connection.

    Each row is taken (claimed, its attempt counted) right before its send and marked SENT
    before the next row is handed over, so a worker killed mid-batch can repeat at most the
    one message in flight (with the same Message-ID). A transient error puts that row back to
    QUEUED with a backoff from its own attempts (FAILED at the limit) and leaves the rest of
    the batch waiting with it, untried and uncharged; a permanent error marks that row FAILED
    and the batch goes on. Celery's soft time limit puts the row in flight back and stops.
    Returns the ids left QUEUED: the task retries them when their ``retry_at`` is due.
    """
    rows = pending(ids)
    if not rows:
        return []
    with db_connection.cursor() as cursor:
        mark = _Marks(cursor)
        try:
            return _deliver(rows, mark)
        finally:
            mark.close()


def _deliver(rows: list[Notification], mark: _Marks) -> list[int]:
    connection = get_connection()
    opened = False
    unmarked: Notification | None = None  # handed to the backend, not yet marked SENT
    position = 0  # rows[position:] are not finished
    retry: list[int] = []
    relaxed_commits(True)
    try:
        for position, row in enumerate(rows):
            taken = mark(sent=unmarked, take=row)
            unmarked = None
            if row.pk not in taken:
                logger.info("Notification %s was sent or taken by another worker", row.pk)
                continue
            try:
                if not opened:
                    # Opened once, lazily: the SMTP backend keeps its connection across
                    # send_messages calls. A server that cannot be reached is this row's error.
                    connection.open()
                    opened = True
                connection.send_messages([build_message(row, connection)])
            except SoftTimeLimitExceeded:
                raise
            except Exception as exc:
                if not is_transient(exc):
                    _fail(row, f"{exc.__class__.__name__}: {exc}")
                    continue
                # The connection is suspect: this row and the rest wait for a retry.
                retry = _retry_later(row, rows[position + 1 :], exc)
                break
            unmarked = row
        position = len(rows)
        if unmarked is not None:
            mark(sent=unmarked, take=None)
            unmarked = None
    except SoftTimeLimitExceeded:
        # The task ran out of time: keep what went out, put the row in flight back (it may
        # or may not have reached the server: at-least-once) and stop. The rest was never
        # taken: it is still QUEUED.
        logger.warning("Soft time limit: %d notifications go back", len(rows) - position)
        if unmarked is not None:
            mark(sent=unmarked, take=None)
        retry = _put_back(rows[position:], token=mark.token, retry_at=timezone.now())
    finally:
        try:
            relaxed_commits(False)
        except DatabaseError:  # a broken database connection must not hide the real outcome
            logger.debug("Resetting synchronous_commit failed", exc_info=True)
        try:
            connection.close()
        except Exception:  # closing a broken SMTP connection must not hide the real outcome
            logger.debug("Closing the mail connection failed", exc_info=True)
    return retry


def _put_back(
    rows: Sequence[Notification], *, token: uuid.UUID, retry_at: datetime | None
) -> list[int]:
    """``rows`` wait for a retry due at ``retry_at``: one this worker took goes back to
    QUEUED (its attempt stays counted), the others were never taken and stay as they were."""
    ids = [row.pk for row in rows]
    Notification.objects.filter(pk__in=ids, claim=token, state=State.SENDING).update(
        state=State.QUEUED, claim=None, retry_at=retry_at, state_changed_at=timezone.now()
    )
    Notification.objects.filter(pk__in=ids, state=State.QUEUED).update(retry_at=retry_at)
    return ids


def relaxed_commits(on: bool) -> None:
    """Don't wait for the disk on each "marked SENT" commit (PostgreSQL only).

    Each mark is its own commit (that is what bounds repeats to the one message in flight),
    so it is set for the session, for the length of the batch, not with ``SET LOCAL`` (which
    would last one mark). A killed *worker* loses nothing: the commit is already in
    PostgreSQL's memory. Only a crash of the database server itself can lose the last marks
    (a fraction of a second of them), and then the sweep sends those messages again with the
    same Message-ID: a possible repeat, never a lost message, so delivery stays at-least-once.
    Waiting for an fsync per message costs more than everything else a message costs.
    """
    if db_connection.vendor == "postgresql":
        with db_connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF" if on else "RESET synchronous_commit")


def _fail(row: Notification, error: str) -> None:
    logger.warning("Notification %s failed for good: %s", row.pk, error)
    _finish(row, State.FAILED, error)


def _retry_later(row: Notification, rest: Sequence[Notification], exc: Exception) -> list[int]:
    """A transient error on ``row``: back to QUEUED with a backoff from its own attempts, or
    FAILED once they reach the limit. The rows after it were not tried: they stay QUEUED,
    uncharged, due with it (the server is likely down for them too)."""
    error = f"{exc.__class__.__name__}: {exc}"
    if row.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
        _fail(row, f"Gave up after {row.attempts} attempts: {error}")
        return _put_back(rest, token=row.claim, retry_at=timezone.now())
    retry_at = timezone.now() + timedelta(seconds=retry_delay(row.attempts))
    _finish(row, State.QUEUED, error, retry_at=retry_at)
    return [row.pk, *_put_back(rest, token=row.claim, retry_at=retry_at)]


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

    The rows are locked while the sweep decides (a row a worker is marking right now is
    skipped, not waited for) and the UPDATE repeats the stuck condition, so a row that a
    worker claimed or took since it was found is never taken from that worker. A row out of
    attempts (say, one whose send kills the worker every time) is marked FAILED instead of
    being swept forever.
    """
    from .services import dispatch

    cutoff = timezone.now() - _older_than(older_than)
    limit = settings.NOTIFICATIONS_MAX_ATTEMPTS
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
