"""A person's calendar feed: its link is a secret a calendar app keeps for years, so the person
can replace it (they shared it by mistake, a device was lost). The old link then answers 404."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from cte_portal.users.permissions import is_authenticated

from ..models import CalendarFeed
from .base import one_transaction, require


@one_transaction
def calendar_feed_reset(*, user: Any) -> CalendarFeed:
    """Give the person a new feed link; every older one stops working at once."""
    require(is_authenticated(user), _("Sign in to reset your calendar link."))
    feed, _created = CalendarFeed.objects.update_or_create(
        user=user, defaults={"key": uuid.uuid4(), "reset_at": timezone.now()}
    )
    return feed
