"""Small helpers of the partners tests: a sign-up's form data, links read from e-mails."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail

from cte_portal.notifications.models import Notification

STRONG_PASSWORD = "tulip-harbor-engine-42"


def signup_data(sectors, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "organization_name": "Acme Robotics",
        "kind": "employer",
        "size": "small",
        "website": "https://www.acme-robotics.example",
        "street_address": "1 Main Street",
        "city": "New York",
        "state": "NY",
        "postal_code": "10001",
        "phone": "212-555-0100",
        "description": "We build robots.",
        "sectors": [s.slug for s in sectors],
        "offers": ["internship", "speaker"],
        "full_name": "Ada Lovelace",
        "email": "ada@acme-robotics.example",
        "job_title": "Chief Engineer",
        "contact_phone": "212-555-0199",
    }
    data.update(overrides)
    return data


def link_in_mail(pattern: str, to: str) -> str:
    """The first path matching ``pattern`` in the last e-mail sent to ``to``."""
    bodies = [m.body for m in mail.outbox if to in m.to]
    assert bodies, f"no e-mail to {to}; sent: {[m.to for m in mail.outbox]}"
    found = re.search(pattern, bodies[-1])
    assert found, f"no link matching {pattern} in:\n{bodies[-1]}"
    return found.group(0)


def confirm_path(to: str) -> str:
    return link_in_mail(r"/partners/join/confirm/[^/\s]+/", to)


def rows(kind: str) -> list[str]:
    """The outbox's recipients of a kind, in order."""
    return list(
        Notification.objects.filter(kind=kind).order_by("pk").values_list("email", flat=True)
    )
