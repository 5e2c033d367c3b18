"""Demo accounts, one per role. Only ``manage.py seed_demo`` creates them."""

from __future__ import annotations

from .enums import Role
from .models import User

DEMO_PASSWORD = "demo-password"  # noqa: S105 - published in the README, demo data only

DEMO_ACCOUNTS = [
    ("staff@demo.example", Role.STAFF, "Dana Staff"),
    ("counselor@demo.example", Role.COUNSELOR, "Carmen Counselor"),
    ("student@demo.example", Role.STUDENT, "Sam Student"),
    ("employer@demo.example", Role.EMPLOYER, "Eli Employer"),
]


def seed() -> list[str]:
    """Create or refresh the demo accounts (idempotent). Returns what it did, line by line."""
    from allauth.account.models import EmailAddress

    lines = []
    for email, role, name in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(email=email, defaults={"role": role})
        user.role = role
        user.full_name = name
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        lines.append(f"{'created' if created else 'refreshed'} {role.label}: {email}")
    return lines
