from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Notification


def notifications_for(*, user: Any) -> QuerySet[Notification]:
    """A person's notification centre, newest first."""
    return Notification.objects.filter(user=user).only(
        "pk", "kind", "subject", "link", "created_at", "read_at", "user_id"
    )


def unread_count(*, user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
