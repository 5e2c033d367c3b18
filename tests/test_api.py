"""The API's front door: tokens, the signed-in user, the schema, errors as JSON."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.factories.users import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(staff):
    """Staff who have confirmed their address, as every account that signs in has."""
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    return staff


def test_token_for_email_and_password(client, staff):
    response = client.post(
        reverse("api:token"),
        {"email": staff.email, "password": PASSWORD},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=staff).key}


def test_token_refused_for_a_wrong_password_with_a_detail(client, staff):
    response = client.post(
        reverse("api:token"),
        {"email": staff.email, "password": "guess"},
        content_type="application/json",
    )

    assert response.status_code == 400
    body = response.json()
    assert body["detail"]
    assert body["errors"]["non_field_errors"] == [
        "Unable to sign in with that e-mail and password."
    ]
    assert not Token.objects.filter(user=staff).exists()


def test_token_refused_for_an_inactive_account(client, staff):
    staff.is_active = False
    staff.save()

    response = client.post(
        reverse("api:token"),
        {"email": staff.email, "password": PASSWORD},
        content_type="application/json",
    )

    assert response.status_code == 400


def test_token_refused_until_the_address_is_confirmed(client, employer):
    EmailAddress.objects.create(user=employer, email=employer.email, verified=False)

    response = client.post(
        reverse("api:token"),
        {"email": employer.email, "password": PASSWORD},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"] == [
        "Confirm your e-mail address first: follow the link we sent you."
    ]
    assert not Token.objects.filter(user=employer).exists()


def test_token_request_with_missing_fields_names_them(client):
    response = client.post(reverse("api:token"), {}, content_type="application/json")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"email", "password"}


def test_token_authenticates_api_calls(client, student, token_for):
    response = client.get(reverse("api:me"), headers=token_for(student))

    assert response.status_code == 200
    assert response.json()["email"] == student.email
    assert response.json()["role"] == "student"


def test_session_authenticates_api_calls(client_for, counselor):
    response = client_for(counselor).get(reverse("api:me"))

    assert response.json()["role"] == "counselor"


def test_anonymous_api_call_gets_401_with_a_detail(client):
    response = client.get(reverse("api:me"))

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_a_bad_token_is_refused(client):
    response = client.get(reverse("api:me"), headers={"Authorization": "Token not-a-real-key"})

    assert response.status_code == 401


def test_unknown_api_address_is_json_404(client):
    response = client.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_unknown_page_is_the_portal_404_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_schema_describes_the_api(client):
    response = client.get(reverse("api:schema"), {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/auth/token/", "/api/v1/me/"} <= set(schema["paths"])
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_docs_page_is_served_from_our_own_static_files(client):
    page = client.get(reverse("api:docs")).content.decode()

    assert "swagger-ui" in page
    assert "cdn" not in page.lower()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page


def test_api_lists_paginate_with_count_and_links():
    from django.conf import settings

    assert settings.REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"].endswith("PortalPagination")
    assert (
        "django_filters.rest_framework.DjangoFilterBackend"
        in (settings.REST_FRAMEWORK["DEFAULT_FILTER_BACKENDS"])
    )
