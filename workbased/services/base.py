"""What every workbased service shares: running in one transaction, model validation as a
domain error, and refusing people who may not act."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils.translation import gettext as _

from ..errors import NotAllowed, WorkbasedError

P = ParamSpec("P")
R = TypeVar("R")


def one_transaction(service: Callable[P, R]) -> Callable[P, R]:
    """Run a service atomically. A database rule that validation could not see (two requests
    racing past a check, a value the database cannot hold) becomes a WorkbasedError, not a
    server error."""

    @functools.wraps(service)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            with transaction.atomic():
                return service(*args, **kwargs)
        except IntegrityError as exc:
            raise WorkbasedError(
                _("This change conflicts with another change made at the same time; retry."),
                conflict=True,
            ) from exc
        except DataError as exc:
            # The last line of defence behind ``workbased.bounds``: a number or a date the
            # database cannot hold is a refusal, not a server error.
            raise WorkbasedError(
                _("A number or a date is out of range: check what you typed.")
            ) from exc

    return run


def validated(instance: Any, *, exclude: tuple[str, ...] = ()) -> None:
    """Model validation (field rules and check constraints) as a WorkbasedError."""
    try:
        instance.full_clean(exclude=set(exclude), validate_unique=False)
    except ValidationError as exc:
        raise WorkbasedError.from_validation(exc) from exc


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise NotAllowed(message or _("You may not do this."))


def clean_text(value: Any) -> str:
    return (value or "").strip() if isinstance(value, str) or value is None else str(value)
