"""Small pieces the partners pages share."""

from __future__ import annotations

from django import forms

from ..services import PartnerError


def add_service_error(form: forms.Form, exc: PartnerError) -> None:
    """Show a service's refusal on the form: on its field if the form has it, else on top."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)
