from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from cte_portal.users.demo import DEMO_PASSWORD
from cte_portal.users.models import User

pytestmark = pytest.mark.django_db

DEMO_EMAILS = {
    "staff@demo.example": "staff",
    "counselor@demo.example": "counselor",
    "student@demo.example": "student",
    "employer@demo.example": "employer",
}


def test_seed_demo_creates_one_account_per_role_and_is_idempotent():
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)

    demo = dict(User.objects.filter(email__endswith="@demo.example").values_list("email", "role"))
    assert demo == DEMO_EMAILS


@pytest.mark.parametrize("email", sorted(DEMO_EMAILS))
def test_demo_accounts_sign_in_with_the_published_password(client, email):
    call_command("seed_demo", verbosity=0)

    response = client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email=email).pk)


def test_no_demo_account_exists_without_the_command():
    assert not User.objects.filter(email__endswith="@demo.example").exists()
