from __future__ import annotations

import uuid
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.db import transaction
from django.utils import translation

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
        """allauth's ``send_mail``, writing an outbox row instead of sending.

        Like allauth's own, it adds the request, the address and the current site to the
        context (the templates greet with the site's name). It renders in the recipient's
        language, not the language of the request that asked (a counselor may trigger mail
        for a Spanish-speaking family); an address without an account keeps the request's.
        """
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        user = User.objects.filter(email__iexact=email).first()
        if user is not None:
            recipient = Recipient.of(user)
        else:
            recipient = Recipient(email=email.lower(), language=translation.get_language() or "en")
        with translation.override(recipient.language):
            message = self.render_mail(template_prefix, email, ctx)
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            "",
        )
        with transaction.atomic():
            notify(
                kind=kinds.ACCOUNT.key,
                # Every password reset or confirmation request is an event of its own.
                event_key=f"{template_prefix.rsplit('/', 1)[-1]}:{uuid.uuid4()}",
                recipients=[recipient],
                prerendered=(message.subject, message.body, html),
            )
