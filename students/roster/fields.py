"""How a OneRoster value is read: each kind of value in one function, which returns the value
or raises ``BadValue`` with words a data clerk understands. ``Fields`` reads the columns of
one record and collects every bad value, so a row with three mistakes reports all three."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from .tables import Record

T = TypeVar("T")

# CEDS grade levels, as OneRoster 1.1 names them. Numbered grades may come unpadded ("9").
GRADE_CODES = frozenset(
    {"IT", "PR", "PK", "TK", "KG", "PS", "UG", "OTHER", *(f"{n:02d}" for n in range(1, 14))}
)
STATUSES = ("active", "tobedeleted")


class BadValue(ValueError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def to_deleted(value: str) -> bool:
    """``status``: blank (allowed in bulk files) or active, or tobedeleted."""
    status = value.lower() or "active"
    if status not in STATUSES:
        raise BadValue(_("%(value)s is not a status (active or tobedeleted).") % {"value": value})
    return status == "tobedeleted"


def to_datetime(value: str) -> dt.datetime | None:
    """``dateLastModified``: ISO 8601 (2025-08-14T09:30:00.000Z); no zone means UTC."""
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise BadValue(
            _("%(value)s is not a date and time like 2025-08-14T09:30:00Z.") % {"value": value}
        ) from None
    return timezone.make_aware(moment, dt.UTC) if timezone.is_naive(moment) else moment


def to_date(value: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadValue(_("%(value)s is not a date like 2025-08-14.") % {"value": value}) from None


def to_bool(value: str) -> bool | None:
    lowered = value.lower()
    if lowered in ("", "true", "false"):
        return None if not lowered else lowered == "true"
    raise BadValue(_("%(value)s is not true or false.") % {"value": value})


def to_list(value: str) -> tuple[str, ...]:
    """A list column ("09,10" arrives quoted): its items, without blanks."""
    return tuple(item.strip() for item in value.split(",") if item.strip())


def to_grade(value: str) -> str:
    """One CEDS grade code, zero-padded ("9" -> "09")."""
    code = f"{int(value):02d}" if value.isdigit() else value.upper()
    if code not in GRADE_CODES:
        raise BadValue(_("%(value)s is not a grade (use 01-13, KG, PK, ...).") % {"value": value})
    return code


def to_grades(value: str) -> tuple[str, ...]:
    return tuple(to_grade(item) for item in to_list(value))


def to_year(value: str) -> int:
    if not (value.isdigit() and len(value) == 4):
        raise BadValue(_("%(value)s is not a year like 2026.") % {"value": value})
    return int(value)


def to_email(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError:
        raise BadValue(_("%(value)s is not an e-mail address.") % {"value": value}) from None
    return value.lower()


class Fields:
    """The values of one record, read column by column; bad ones are collected."""

    def __init__(self, record: Record) -> None:
        self.record = record
        self.errors: list[str] = []

    def text(self, column: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = self.record[column]
        if required and not value:
            self.errors.append(_("%(column)s is required.") % {"column": column})
        elif max_length is not None and len(value) > max_length:
            self.errors.append(
                _("%(column)s is longer than %(n)d characters.")
                % {"column": column, "n": max_length}
            )
        return value

    def read(self, column: str, parse: Callable[[str], T], *, required: bool = False) -> T | Any:
        value = self.record[column]
        if required and not value:
            self.errors.append(_("%(column)s is required.") % {"column": column})
            return None
        try:
            return parse(value)
        except BadValue as exc:
            self.errors.append(f"{column}: {exc.reason}")
            return None
