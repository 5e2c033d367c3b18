from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    """Where an outbox row is in its life. Only QUEUED rows may be claimed for sending."""

    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    DIGEST = "digest", _("Waiting for the daily digest")
    DIGESTED = "digested", _("Sent in a digest")
    SKIPPED = "skipped", _("Not e-mailed (turned off, or no real address)")


class Delivery(models.TextChoices):
    """How a person wants one kind of notification e-mailed."""

    IMMEDIATE = "immediate", _("Right away")
    DIGEST = "digest", _("In a daily digest")
    OFF = "off", _("Off (only in the portal)")
