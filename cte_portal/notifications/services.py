"""Every write of the notifications app: creating outbox rows, preferences, reading."""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import connection as db_connection
from django.db import models, transaction
from django.db.models.expressions import RawSQL
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

from . import kinds
from .enums import Delivery, State
from .models import Notification, Preference
from .sql import array_literal

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
UNDO_SALT = "notifications.unsubscribe.undo"


class NotificationError(Exception):
    """A rule of the notifications app was broken (e.g. turning off account mail)."""


@dataclass(frozen=True)
class Recipient:
    """Someone to notify: an account, or a bare address (e.g. a mailing-list subscriber)."""

    email: str
    user: Any = None
    language: str = "en"

    @classmethod
    def of(cls, who: Any) -> Recipient:
        if isinstance(who, Recipient):
            return who
        return cls(email=who.email.lower(), user=who, language=who.preferred_language or "en")


def render_plain(name: str, context: dict[str, Any]) -> str:
    """A plain-text template (a subject, a text body): no HTML escaping, so "O'Brien & Co"
    reads as typed, not "O&#x27;Brien &amp; Co". Only the HTML body is escaped."""
    return get_template(name).template.render(Context(context, autoescape=False))


def render(kind: str, context: dict[str, Any], *, language: str) -> tuple[str, str, str]:
    """Subject, text and HTML bodies of a kind, in the recipient's language."""
    with translation.override(language):
        subject = render_plain(f"emails/{kind}/subject.txt", context)
        text = render_plain(f"emails/{kind}/body.txt", context)
        html = render_to_string(f"emails/{kind}/body.html", context)
    return " ".join(subject.split())[:255], text.strip() + "\n", html


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    """A signed (user, kind) for one e-mail's unsubscribe link: one per message sent.

    Exactly what ``signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT)`` makes
    (``read_unsubscribe_token`` reads it with ``signing.loads``; a test holds the two equal),
    made faster, as the outbox signs every message it sends: the HMAC's key is derived once
    per secret key, not once per message (Django's ``salted_hmac``), and the payload of a
    kind is encoded once. Not compressed: zlib never shortens a payload this small.
    """
    value = f"{_unsubscribe_payload(user_id, kind)}:{_b62(int(time.time()))}"
    mac = _unsubscribe_hmac(settings.SECRET_KEY).copy()
    mac.update(value.encode())
    return f"{value}:{signing.b64_encode(mac.digest()).decode()}"


def _unsubscribe_payload(user_id: int, kind: str) -> str:
    # signing.JSONSerializer's bytes for {"u": user_id, "k": kind}, base64 as signing has it.
    data = b'{"u":%d,"k":%s}' % (user_id, _json_string(kind))
    return signing.b64_encode(data).decode()


@functools.lru_cache(maxsize=2)
def _b62(seconds: int) -> str:
    return signing.b62_encode(seconds)  # the timestamp: the same for a second of messages


@functools.lru_cache(maxsize=64)
def _json_string(text: str) -> bytes:
    return json.dumps(text).encode("latin-1")


@functools.lru_cache(maxsize=4)
def _unsubscribe_hmac(secret_key: str) -> hmac.HMAC:
    """The signer's HMAC before any message, keyed as ``salted_hmac`` keys it for a
    ``TimestampSigner(salt=UNSUBSCRIBE_SALT)`` (sha256): copied for each token."""
    key = hashlib.sha256(f"{UNSUBSCRIBE_SALT}signer{secret_key}".encode()).digest()
    return hmac.new(key, digestmod=hashlib.sha256)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """The (user id, kind) a token stands for; ``signing.BadSignature`` if tampered with."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or "k" not in data:
        raise signing.BadSignature("Malformed unsubscribe token.")
    return data["u"], data["k"]


def undo_token(*, user_id: int, kind: str, changed: dict[str, str]) -> str:
    """What an unsubscribe changed, signed: the undo button can restore that and no more."""
    return signing.dumps({"u": user_id, "k": kind, "c": changed}, salt=UNDO_SALT, compress=True)


def read_undo_token(token: str, *, user_id: int, kind: str) -> dict[str, str]:
    """The changes an undo token stands for, if it was made for this person and link."""
    data = signing.loads(token, salt=UNDO_SALT)
    if (
        not isinstance(data, dict)
        or data.get("u") != user_id
        or data.get("k") != kind
        or not isinstance(data.get("c"), dict)
    ):
        raise signing.BadSignature("Undo token for another person or link.")
    return {str(key): str(value) for key, value in data["c"].items()}


def _deliveries_for(kind: kinds.Kind, recipients: Sequence[Recipient]) -> dict[int, str]:
    """Each account's chosen delivery for this kind: one query for any number of people."""
    if not kind.can_turn_off:
        return {}
    user_ids: Any = [r.user.pk for r in recipients if r.user is not None]
    if db_connection.vendor == "postgresql":
        # One array parameter: Django prepares the values of a list one by one (10,000 ids,
        # more time than the query).
        user_ids = RawSQL("SELECT unnest(%s::bigint[])", [array_literal(user_ids)])
    return dict(
        Preference.objects.filter(kind=kind.key, user_id__in=user_ids).values_list(
            "user_id", "delivery"
        )
    )


_STATE_FOR_DELIVERY = {
    Delivery.IMMEDIATE: State.QUEUED,
    Delivery.DIGEST: State.DIGEST,
    Delivery.OFF: State.SKIPPED,
}


def is_undeliverable(email: str) -> bool:
    """An address on the reserved ``.invalid`` top-level domain (RFC 2606): a placeholder,
    such as the roster gives a student with no e-mail. Mail to it can only fail."""
    return email.rpartition("@")[2].rstrip(".").lower().rpartition(".")[2] == "invalid"


def _reachable(kind: kinds.Kind, people: list[Recipient]) -> list[Recipient]:
    """Leave out placeholder addresses whose row could only fail: a bare address, or a kind
    not shown in the notification centre (account mail). An account keeps its row, marked
    not e-mailed (``notify_ids``), so the news still reaches its notification centre."""
    return [
        p
        for p in people
        if not is_undeliverable(p.email) or (p.user is not None and kind.in_centre)
    ]


def notify(
    *,
    kind: str,
    event_key: str,
    recipients: Iterable[Any],
    context: dict[str, Any] | None = None,
    about: models.Model | None = None,
    link: str = "",
    prerendered: tuple[str, str, str] | None = None,
) -> int:
    """Write one outbox row per recipient for an event, and send them after commit.

    See ``notify_ids``, which this calls. Returns how many rows were queued for immediate
    sending.
    """
    return len(
        notify_ids(
            kind=kind,
            event_key=event_key,
            recipients=recipients,
            context=context,
            about=about,
            link=link,
            prerendered=prerendered,
        )
    )


def notify_ids(
    *,
    kind: str,
    event_key: str,
    recipients: Iterable[Any],
    context: dict[str, Any] | None = None,
    about: models.Model | None = None,
    link: str = "",
    prerendered: tuple[str, str, str] | None = None,
) -> list[int]:
    """Write one outbox row per recipient for an event, and send them after commit.

    Call it inside the transaction of the event: if that rolls back, nothing is sent. The same
    (kind, event_key, recipient) never makes a second row. Thousands of recipients cost a
    fixed number of queries (on PostgreSQL: one for preferences and one that inserts every
    row and returns the ids; elsewhere bulk inserts and one to read the ids).
    The message is rendered once per language, not per person: per-person content (a name,
    a personal link) belongs in a notify() call of its own. ``prerendered`` (subject, text,
    html) skips the templates, for mail rendered elsewhere (allauth's account mail).
    Returns the ids of this event's rows for these recipients that wait, QUEUED, for
    immediate sending (not those waiting for a digest or turned off); a row an earlier call
    made that is still queued is among them, and is dispatched again, harmlessly: a row is
    taken by one worker only. A placeholder address (``.invalid``) is never e-mailed: an
    account's row is SKIPPED (it shows in their centre), and no row is made otherwise.
    """
    spec = kinds.get(kind)
    people = _reachable(spec, [Recipient.of(who) for who in recipients])
    if not people:
        return []
    deliveries = _deliveries_for(spec, people)
    content_type = ContentType.objects.get_for_model(about) if about is not None else None
    rendered: dict[str, tuple[str, str, str]] = {}
    for language in dict.fromkeys(person.language for person in people):
        # Rendered once per language, not per person.
        if prerendered is not None:
            rendered[language] = prerendered
        else:
            ctx = {
                **(context or {}),
                "link": link,
                "kind": spec,
                "base_url": settings.PORTAL_BASE_URL,
                "LANGUAGE_CODE": language,
            }
            rendered[language] = render(kind, ctx, language=language)
    event = _Event(
        kind=kind,
        event_key=event_key,
        link=link,
        content_type_id=content_type.pk if content_type is not None else None,
        object_id=str(about.pk) if about is not None else "",
        rendered=rendered,
    )
    deliveries_of = [
        deliveries.get(person.user.pk if person.user else None, spec.default) for person in people
    ]
    with transaction.atomic():
        if db_connection.vendor == "postgresql":
            queued = _insert_rows_postgresql(event, people, deliveries_of)
        else:
            queued = _insert_rows(event, people, deliveries_of)
    transaction.on_commit(lambda: dispatch(queued))
    return queued


@dataclass(frozen=True)
class _Event:
    """What every row of one ``notify_ids`` call shares."""

    kind: str
    event_key: str
    link: str
    content_type_id: int | None
    object_id: str
    rendered: dict[str, tuple[str, str, str]]  # language: (subject, text, html)


def _first_state(person: Recipient, delivery: str) -> State:
    """A new row's state: by the person's choice for the kind, except that a placeholder
    address (``.invalid``) is never e-mailed."""
    if is_undeliverable(person.email):
        return State.SKIPPED
    return _STATE_FOR_DELIVERY[Delivery(delivery)]


def _insert_rows(
    event: _Event, people: Sequence[Recipient], deliveries: Sequence[str]
) -> list[int]:
    """Any database: bulk inserts, then read the ids of this event's rows that are QUEUED."""
    rows = []
    for person, delivery in zip(people, deliveries, strict=True):
        subject, text, html = event.rendered[person.language]
        rows.append(
            Notification(
                user=person.user,
                email=person.email,
                kind=event.kind,
                event_key=event.event_key,
                language=person.language,
                subject=subject,
                body_text=text,
                body_html=html,
                link=event.link,
                content_type_id=event.content_type_id,
                object_id=event.object_id,
                delivery=delivery,
                state=_first_state(person, delivery),
            )
        )
    Notification.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return list(
        Notification.objects.filter(
            kind=event.kind,
            event_key=event.event_key,
            state=State.QUEUED,
            email__in=[p.email for p in people],
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _insert_rows_postgresql(
    event: _Event, people: Sequence[Recipient], deliveries: Sequence[str]
) -> list[int]:
    """PostgreSQL: one statement for any number of people.

    The rendered subject and bodies travel once per language, not once per person (for
    10,000 contacts the ORM's bulk insert sends the same bodies 10,000 times, which is most
    of what a fan-out costs); the rows are made in the database from arrays of the
    per-person columns. ``ON CONFLICT DO NOTHING`` keeps (kind, event key, address) unique,
    and the same statement returns the ids QUEUED: those it inserted, and those an earlier
    call made that are still waiting (the second SELECT sees the table as it was before
    this statement, so no row is counted twice).
    """
    languages = list(event.rendered)
    fields = {f.name: f for f in Notification._meta.concrete_fields}
    params = {
        "languages": languages,
        "subjects": [event.rendered[language][0] for language in languages],
        "texts": [event.rendered[language][1] for language in languages],
        "htmls": [event.rendered[language][2] for language in languages],
        "user_ids": array_literal([p.user.pk if p.user is not None else None for p in people]),
        "emails": array_literal([p.email for p in people]),
        "person_languages": array_literal([p.language for p in people]),
        "deliveries": array_literal(list(deliveries)),
        "states": array_literal(
            [_first_state(p, d).value for p, d in zip(people, deliveries, strict=True)]
        ),
        "kind": event.kind,
        "event_key": event.event_key,
        "link": event.link,
        "content_type_id": event.content_type_id,
        "object_id": event.object_id,
        "now": db_connection.ops.adapt_datetimefield_value(timezone.now()),
        "queued": State.QUEUED.value,
    }
    table = db_connection.ops.quote_name(Notification._meta.db_table)
    columns = ", ".join(
        db_connection.ops.quote_name(fields[name].column)
        for name in (
            "user", "email", "kind", "event_key", "language", "subject", "body_text",
            "body_html", "link", "content_type", "object_id", "delivery", "state",
            "attempts", "resends", "last_error", "created_at", "state_changed_at",
        )
    )  # fmt: skip
    with db_connection.cursor() as cursor:
        cursor.execute(
            # Only the table and column names are joined in; every value is a parameter.
            f"""
            WITH rendered (language, subject, body_text, body_html) AS (
                SELECT * FROM unnest(
                    %(languages)s::text[], %(subjects)s::text[], %(texts)s::text[],
                    %(htmls)s::text[]
                )
            ), people (user_id, email, language, delivery, state, position) AS (
                SELECT * FROM unnest(
                    %(user_ids)s::bigint[], %(emails)s::text[], %(person_languages)s::text[],
                    %(deliveries)s::text[], %(states)s::text[]
                ) WITH ORDINALITY
            ), inserted AS (
                INSERT INTO {table} ({columns})
                SELECT p.user_id, p.email, %(kind)s, %(event_key)s, p.language, r.subject,
                       r.body_text, r.body_html, %(link)s, %(content_type_id)s::integer,
                       %(object_id)s, p.delivery, p.state, 0, 0, '', %(now)s, %(now)s
                FROM people p JOIN rendered r USING (language)
                ORDER BY p.position
                ON CONFLICT DO NOTHING
                RETURNING id, state
            )
            SELECT id FROM inserted WHERE state = %(queued)s
            UNION ALL
            SELECT id FROM {table}
            WHERE kind = %(kind)s AND event_key = %(event_key)s AND state = %(queued)s
              AND email IN (SELECT email FROM people)
            ORDER BY id
            """,  # noqa: S608
            params,
        )
        return [pk for (pk,) in cursor.fetchall()]


def dispatch(ids: Sequence[int]) -> None:
    """Hand rows to the workers in batches. If the broker is down the rows stay QUEUED and
    the sweep sends them later: the request that caused them still succeeds."""
    from .tasks import deliver_notifications

    size = settings.NOTIFICATIONS_BATCH_SIZE
    for start in range(0, len(ids), size):
        batch = list(ids[start : start + size])
        try:
            deliver_notifications.apply_async(args=[batch], retry=False)
        except Exception as exc:  # kombu OperationalError, redis ConnectionError...
            if deliver_notifications.app.conf.task_always_eager:
                raise
            logger.warning(
                "Broker unreachable; %d notifications wait for the sweep: %s", len(batch), exc
            )


def preferences_for(user: Any) -> list[tuple[kinds.Kind, str]]:
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))
    return [
        (kind, chosen.get(kind.key, kind.default)) for kind in kinds.KINDS.values() if kind.listed
    ]


def preference_set(*, user: Any, kind: str, delivery: str) -> Preference:
    """Choose how one kind is e-mailed to a person. Turning a kind off also drops what was
    still waiting for their digest: "off" means no more e-mail of that kind, starting now.
    """
    spec = kinds.get(kind)
    if delivery not in Delivery.values:
        raise NotificationError(f"Unknown delivery {delivery!r}.")
    if not spec.can_turn_off and delivery != Delivery.IMMEDIATE:
        raise NotificationError(f"{spec.label} cannot be turned off or delayed.")
    with transaction.atomic():
        preference, _ = Preference.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": delivery}
        )
        if delivery == Delivery.OFF:
            Notification.objects.filter(user=user, kind=kind, state=State.DIGEST).update(
                state=State.SKIPPED, state_changed_at=timezone.now()
            )
    return preference


def notification_mark_read(*, user: Any, notification_id: int) -> Notification:
    """Mark one of the user's own notifications read (someone else's: DoesNotExist)."""
    notification = Notification.objects.get(pk=notification_id, user=user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


RESENDABLE = (State.FAILED, State.SENT)


def notification_resend(*, notification: Notification) -> None:
    """Staff: send a FAILED or SENT row again, as a fresh message.

    Only from FAILED or SENT: a SKIPPED row belongs to someone who turned the kind off, a
    QUEUED or SENDING one is on its way already (a resend could send it twice), a digest row
    goes out in the digest. A confidential row (account mail) that was SENT has no body any
    more: the person asks for a new link instead. The resend gets a Message-ID of its own
    (``resends``), so a mail server that saw the first one does not drop it as a repeat;
    automatic retries keep theirs. Raises ``NotificationError`` when refused.
    """
    allowed = [State.FAILED] if kinds.is_confidential(notification.kind) else RESENDABLE
    with transaction.atomic():
        resent = Notification.objects.filter(pk=notification.pk, state__in=allowed).update(
            state=State.QUEUED,
            attempts=0,
            claim=None,
            retry_at=None,
            resends=models.F("resends") + 1,
            state_changed_at=timezone.now(),
        )
        if not resent:
            raise NotificationError(
                f"Notification {notification.pk} cannot be sent again from its state."
            )
        transaction.on_commit(lambda: dispatch([notification.pk]))


def unsubscribe_targets(*, user: Any, kind: str) -> dict[str, str]:
    """What unsubscribing from ``kind`` would turn off, with each kind's current delivery:
    the kind itself, or for the digest every kind waiting for it. Empty: nothing to do."""
    spec = kinds.get(kind)
    if spec.key != kinds.DIGEST.key and not spec.can_turn_off:
        raise NotificationError(f"{spec.label} cannot be turned off.")
    if spec.key == kinds.DIGEST.key:
        targets = [k.key for k, current in preferences_for(user) if current == Delivery.DIGEST]
    else:
        targets = [spec.key]
    current = dict(preferences_for_kinds(user, targets))
    return {key: current[key] for key in targets if current[key] != Delivery.OFF}


def unsubscribe(*, user: Any, kind: str) -> dict[str, str]:
    """Unsubscribe from an e-mail's link: turn a kind off (the digest: every kind waiting for
    it), and drop what of it was still waiting for the digest.

    Returns what each changed kind was before, so the page can offer to undo it. Doing it
    twice changes nothing more.
    """
    with transaction.atomic():
        changed = unsubscribe_targets(user=user, kind=kind)
        for key in changed:
            preference_set(user=user, kind=key, delivery=Delivery.OFF)
    return changed


def unsubscribe_undo(*, user: Any, kind: str, previous: dict[str, str]) -> dict[str, str]:
    """Undo an unsubscribe made with a link for ``kind`` (what the signed token says).

    Only what that unsubscribe could have changed is restored, and only while it is still
    off: the token's own kind, or for a digest link the kinds it moved from the digest to
    off (back to the digest, nothing else). Returns what was restored.
    """
    spec = kinds.get(kind)
    if spec.key == kinds.DIGEST.key:
        wanted = {key: value for key, value in previous.items() if value == Delivery.DIGEST}
    elif kind in previous:
        wanted = {kind: previous[kind]}
    else:
        wanted = {}
    wanted = {
        key: value
        for key, value in wanted.items()
        if key in kinds.KINDS
        and kinds.KINDS[key].can_turn_off
        and value in (Delivery.IMMEDIATE, Delivery.DIGEST)
    }
    with transaction.atomic():
        current = dict(preferences_for_kinds(user, list(wanted)))
        restored = {key: value for key, value in wanted.items() if current[key] == Delivery.OFF}
        for key, value in restored.items():
            preference_set(user=user, kind=key, delivery=value)
    return restored


def preferences_for_kinds(user: Any, keys: Sequence[str]) -> list[tuple[str, str]]:
    chosen = dict(
        Preference.objects.filter(user=user, kind__in=keys).values_list("kind", "delivery")
    )
    return [(key, chosen.get(key, kinds.get(key).default)) for key in keys]
