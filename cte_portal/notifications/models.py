from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import Delivery, State

# The states a row leaves again: only these are in the index by state.
IN_FLIGHT_OR_WAITING = [State.QUEUED, State.SENDING, State.FAILED, State.DIGEST]


class Notification(models.Model):
    """One notification for one recipient: the outbox row *and* the notification-centre item.

    Written in the transaction of the event that causes it; (kind, event_key, email) is
    unique, so the same event can never notify the same person twice.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        help_text=_("Empty for an address without an account (e.g. the mailing list)."),
        # notification_unread (user, read_at) serves every lookup by user: a second index on
        # the column alone would only cost every write.
        db_index=False,
    )
    email = models.EmailField(_("recipient e-mail"))
    kind = models.CharField(_("kind"), max_length=64)
    event_key = models.CharField(_("event key"), max_length=200)
    language = models.CharField(_("language"), max_length=8, default="en")
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    # Not indexed: nothing looks rows up by it, and only removing a model from the code
    # deletes a content type (then its rows are found by a scan, once).
    content_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, db_index=False
    )
    object_id = models.CharField(max_length=64, blank=True)
    about = GenericForeignKey("content_type", "object_id")

    delivery = models.CharField(
        _("delivery"), max_length=16, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    claim = models.UUIDField(null=True, blank=True, editable=False)
    # Sends handed to the mail backend (a row waiting behind another row's failure is not
    # charged): bounds retries, and sets the backoff before the next one.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # After a transient error: when the retry is due. The sweep leaves the row alone until then.
    retry_at = models.DateTimeField(_("retry due"), null=True, blank=True)
    # Deliberate resends by staff: each one gets a Message-ID of its own.
    resends = models.PositiveSmallIntegerField(_("resends"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    digest = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="digested",
        db_index=False,  # notification_digest, only over the few rows that have one
    )

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    state_changed_at = models.DateTimeField(_("state changed"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "event_key", "email"], name="notification_once_per_event"
            ),
        ]
        # Every index costs each of a row's writes (written, claimed, sent: an update that
        # changes the state rewrites every index entry of the row), so there are few, and
        # those by state hold only the rows still in flight or waiting.
        indexes = [
            # The sweep (rows stuck in QUEUED or SENDING), the digest (DIGEST) and the back
            # office's FAILED filter. A SENT row leaves it.
            models.Index(
                fields=["state", "state_changed_at"],
                name="notification_sweep",
                condition=models.Q(state__in=IN_FLIGHT_OR_WAITING),
            ),
            # A digest's rows, when the digest row is deleted (SET_NULL).
            models.Index(
                fields=["digest"],
                name="notification_digest",
                condition=models.Q(digest__isnull=False),
            ),
            # The header's unread count and the notification centre.
            models.Index(fields=["user", "read_at"], name="notification_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.email} ({self.state})"

    @property
    def message_id(self) -> str:
        return message_id(self.pk, self.resends)


def message_id(pk: int, resends: int) -> str:
    """Stable per row: an automatic retry, or a repeat send after a worker died, carries the
    same Message-ID (so a mail server can drop the repeat). A staff resend is a new message on
    purpose, and gets a new one."""
    resend = f".{resends}" if resends else ""
    return f"<notification-{pk}{resend}@{settings.NOTIFICATIONS_MESSAGE_ID_DOMAIN}>"


class Preference(models.Model):
    """How one person wants one kind e-mailed. No row means the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=64)
    delivery = models.CharField(_("delivery"), max_length=16, choices=Delivery.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}: {self.delivery}"
