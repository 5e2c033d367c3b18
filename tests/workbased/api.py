"""Helpers for the work-based learning API tests."""

from __future__ import annotations

from typing import Any


def ids(response, key: str = "id") -> list[int]:
    """The ids of a list answer's rows, sorted (the answer must be a 200)."""
    assert response.status_code == 200, response.content
    return sorted(row[key] for row in response.json()["results"])


def post(client, url: str, data: dict[str, Any] | None = None):
    return client.post(url, data or {}, content_type="application/json")


def errors(response, status: int = 400) -> dict[str, Any]:
    """A refusal's body (``detail``, and ``errors`` by field when it names one)."""
    assert response.status_code == status, (response.status_code, response.content)
    return response.json()
