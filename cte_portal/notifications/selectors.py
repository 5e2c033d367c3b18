from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from . import kinds
from .models import Notification


def _centre(*, user: Any) -> QuerySet[Notification]:
    # Account mail (password resets, confirmations) is e-mail only: it is not news to list.
    return Notification.objects.filter(user=user).exclude(kind__in=kinds.hidden_from_centre())


def notifications_for(*, user: Any) -> QuerySet[Notification]:
    """A person's notification centre, newest first."""
    return _centre(user=user).only(
        "pk", "kind", "subject", "link", "created_at", "read_at", "user_id"
    )


def unread_count(*, user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return _centre(user=user).filter(read_at__isnull=True).count()
