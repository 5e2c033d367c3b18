"""What every partners service shares: its error, and running in one transaction."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

P = ParamSpec("P")
R = TypeVar("R")


class PartnerError(Exception):
    """A partners rule refused the change; nothing was written.

    ``field`` names the form field the message belongs to (None: the whole request).
    ``conflict`` says the request is fine but the record's state forbids it now (the API
    answers 409, e.g. approving an organization already approved); otherwise 400.
    """

    def __init__(self, message: str, *, field: str | None = None, conflict: bool = False):
        super().__init__(message)
        self.message = message
        self.field = field
        self.conflict = conflict

    @classmethod
    def from_validation(cls, exc: ValidationError) -> PartnerError:
        if hasattr(exc, "error_dict"):
            field, messages = next(iter(exc.message_dict.items()))
            return cls(messages[0], field=None if field == "__all__" else field)
        return cls(exc.messages[0])


def one_transaction(service: Callable[P, R]) -> Callable[P, R]:
    """Run a service atomically. A database rule that validation could not see (two requests
    racing) becomes a PartnerError, not a server error."""

    @functools.wraps(service)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            with transaction.atomic():
                return service(*args, **kwargs)
        except IntegrityError as exc:
            raise PartnerError(
                _("This change conflicts with another change made at the same time; retry."),
                conflict=True,
            ) from exc

    return run


def validated(instance, *, exclude: tuple[str, ...] = ()) -> None:
    """Model validation (field rules and check constraints) as a PartnerError."""
    try:
        instance.full_clean(exclude=set(exclude), validate_unique=False)
    except ValidationError as exc:
        raise PartnerError.from_validation(exc) from exc
