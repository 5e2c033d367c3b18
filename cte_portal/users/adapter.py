from __future__ import annotations

import uuid
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.db import transaction

from cte_portal.notifications import kinds
from cte_portal.notifications.services import Recipient, notify

from .models import User


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are not self-service: students and counselors come from the roster, staff
    are created by staff, and employers join through the partner sign-up (/partners/join/)
    which creates their account with the employer role.

    Account mail (password reset, e-mail confirmation) goes through the outbox like every
    other notification, so a broker or mail-server hiccup delays it but never loses it.
    """

    def is_open_for_signup(self, request: Any) -> bool:
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            "",
        )
        user = User.objects.filter(email__iexact=email).first()
        recipient = Recipient.of(user) if user else Recipient(email=email.lower())
        with transaction.atomic():
            notify(
                kind=kinds.ACCOUNT.key,
                # Every password reset or confirmation request is an event of its own.
                event_key=f"{template_prefix.rsplit('/', 1)[-1]}:{uuid.uuid4()}",
                recipients=[recipient],
                prerendered=(message.subject, message.body, html),
            )
