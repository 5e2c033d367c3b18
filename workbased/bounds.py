"""Sane limits on what people type into work-based learning: dates and times within 2000 to
2100, seats, hours and audiences within what a school district can mean.

The services check them (so a page and the API refuse alike, with the same words, before
anything is written); forms and serializers reuse the numbers for the browser's and the
schema's hints. Without them a year 9999 session is stored but cannot be read back (in UTC it
is year 10000, beyond Python's dates), and a board filter "until 31 December 9999" overflows.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import WorkbasedError

FIRST_YEAR = 2000
LAST_YEAR = 2100
MAX_SEATS = 10_000
MAX_AUDIENCE = 5_000  # a school request's audience becomes the opportunity's seats
MIN_GRADE, MAX_GRADE = 7, 12
MIN_AGE, MAX_AGE = 10, 21
MAX_HOURS_PER_WEEK = Decimal(60)
MAX_TARGET_HOURS = Decimal(2000)  # a full-time year


def _year_of(value: date | datetime) -> int | None:
    if isinstance(value, datetime) and timezone.is_aware(value):
        try:
            value = timezone.localtime(value)
        except (OverflowError, ValueError):
            return None
    return value.year


def in_range(value: date | datetime | None) -> bool:
    """A date (or a moment, in local time) from 2000 to 2100; None is for the caller."""
    if value is None:
        return True
    year = _year_of(value)
    return year is not None and FIRST_YEAR <= year <= LAST_YEAR


def date_message() -> str:
    return _("Choose a date from %(first)s to %(last)s.") % {
        "first": FIRST_YEAR,
        "last": LAST_YEAR,
    }


def check_dates(error: type[WorkbasedError], **values: date | datetime | None) -> None:
    """Refuse the first date or moment (by its field's name) outside 2000 to 2100."""
    for field, value in values.items():
        if not in_range(value):
            raise error(date_message(), field=field)


def check_number(
    error: type[WorkbasedError],
    value: int | Decimal | None,
    *,
    field: str,
    low: int | Decimal,
    high: int | Decimal,
    message: str,
    above_low: bool = False,
) -> None:
    """Refuse a number outside ``low``..``high`` (more than ``low`` when ``above_low``);
    None is for the caller."""
    if value is None:
        return
    too_low = value <= low if above_low else value < low
    if too_low or value > high:
        raise error(message, field=field)


def validate_date(value: Any) -> None:
    """The same limit as a form field's or an API filter's validator."""
    if isinstance(value, (date, datetime)) and not in_range(value):
        raise ValidationError(date_message(), code="date_out_of_range")
