from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are not self-service: students and counselors come from the roster, staff
    are created by staff, and employers join through the partner sign-up (/partners/join/)
    which creates their account with the employer role."""

    def is_open_for_signup(self, request: Any) -> bool:
        return False
