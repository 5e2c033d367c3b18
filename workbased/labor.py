"""The federal child-labor limits on hours for students under 16 (29 CFR 570.35), as pure
functions: the hours service refuses a log beyond them, and a form can state them.

- only between 7 a.m. and 7 p.m. (9 p.m. from June 1 through Labor Day);
- at most 3 hours on a school day, 8 on a day without school;
- at most 18 hours in a school week, 40 in a week without school.

With no school calendar in the portal, every Monday to Friday is a school day, except the
breaks listed in the ``WORKBASED_SCHOOL_BREAKS`` setting; a school week is a week (Monday to
Sunday) with at least one school day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from . import conf
from .errors import ChildLaborLimit

EARLIEST = time(7, 0)
LATEST = time(19, 0)
LATEST_IN_SUMMER = time(21, 0)
SCHOOL_DAY_HOURS = Decimal(3)
NON_SCHOOL_DAY_HOURS = Decimal(8)
SCHOOL_WEEK_HOURS = Decimal(18)
NON_SCHOOL_WEEK_HOURS = Decimal(40)


def age_on(born: date, day: date) -> int:
    """Age in whole years on a day (someone born on 29 February turns a year older on 1 March
    in common years)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _breaks() -> list[tuple[date, date]]:
    return [
        (date.fromisoformat(str(start)), date.fromisoformat(str(end)))
        for start, end in conf.get("WORKBASED_SCHOOL_BREAKS")
    ]


def is_school_day(day: date) -> bool:
    if day.weekday() >= 5:
        return False
    return not any(start <= day <= end for start, end in _breaks())


def week_of(day: date) -> tuple[date, date]:
    """Monday and Sunday of the day's week."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def is_school_week(day: date) -> bool:
    monday, _sunday = week_of(day)
    return any(is_school_day(monday + timedelta(days=n)) for n in range(7))


def labor_day(year: int) -> date:
    """The first Monday of September."""
    first = date(year, 9, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7)


def latest_end(day: date) -> time:
    """7 p.m., or 9 p.m. from June 1 through Labor Day."""
    return LATEST_IN_SUMMER if date(day.year, 6, 1) <= day <= labor_day(day.year) else LATEST


def _clock(value: time) -> str:
    return formats.time_format(value)


def _day(value: date) -> str:
    return formats.date_format(value)


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}"


@dataclass(frozen=True)
class Totals:
    """Hours already logged (not rejected) by the student on the day and in its week."""

    day: Decimal
    week: Decimal


def check_minor_shift(
    *, day: date, start: time, end: time, hours: Decimal, already: Totals
) -> None:
    """Refuse (``ChildLaborLimit``, saying which limit and why) a shift a student under 16
    may not work."""
    latest = latest_end(day)
    if start < EARLIEST or end > latest:
        raise ChildLaborLimit(
            _(
                "This entry runs from %(start)s to %(end)s, but students under 16 may work "
                "only between 7 a.m. and %(latest)s on %(day)s."
            )
            % {
                "latest": _clock(latest),
                "day": _day(day),
                "start": _clock(start),
                "end": _clock(end),
            },
            limit="time_of_day",
        )
    day_total = already.day + hours
    if is_school_day(day):
        if day_total > SCHOOL_DAY_HOURS:
            raise ChildLaborLimit(
                _(
                    "On a school day, students under 16 may work at most 3 hours; with this "
                    "entry %(day)s would have %(total)s hours."
                )
                % {"day": _day(day), "total": _hours(day_total)},
                limit="school_day",
            )
    elif day_total > NON_SCHOOL_DAY_HOURS:
        raise ChildLaborLimit(
            _(
                "On a day without school, students under 16 may work at most 8 hours; with "
                "this entry %(day)s would have %(total)s hours."
            )
            % {"day": _day(day), "total": _hours(day_total)},
            limit="non_school_day",
        )
    week_total = already.week + hours
    monday, _sunday = week_of(day)
    if is_school_week(day):
        if week_total > SCHOOL_WEEK_HOURS:
            raise ChildLaborLimit(
                _(
                    "In a school week, students under 16 may work at most 18 hours; with this "
                    "entry the week of %(monday)s would have %(total)s hours."
                )
                % {"monday": _day(monday), "total": _hours(week_total)},
                limit="school_week",
            )
    elif week_total > NON_SCHOOL_WEEK_HOURS:
        raise ChildLaborLimit(
            _(
                "In a week without school, students under 16 may work at most 40 hours; with "
                "this entry the week of %(monday)s would have %(total)s hours."
            )
            % {"monday": _day(monday), "total": _hours(week_total)},
            limit="non_school_week",
        )
