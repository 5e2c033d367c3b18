"""iCalendar (RFC 5545) files: one opportunity's sessions, and a person's feed.

Pure functions: they take sessions (with their opportunity and organization loaded) and
return the text; the pages serve it as ``text/calendar``. Per the RFC: lines end in CRLF,
content lines are folded at 75 octets (never inside a UTF-8 character), TEXT values escape
backslash, semicolon, comma and newlines, every event has a UID that stays the same across
downloads (so calendars update the event rather than duplicate it), a DTSTAMP, and times in
UTC (``...Z``). A cancelled opportunity's sessions say ``STATUS:CANCELLED``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

from . import links
from .enums import OpportunityStatus

CRLF = "\r\n"
PRODID = "-//CTE Portal//Work-based learning//EN"
MAX_OCTETS = 75


@dataclass(frozen=True)
class Event:
    uid: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    cancelled: bool = False
    last_modified: dt.datetime | None = None


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash first, then ; , and newlines."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, each continuation starting with
    a space (RFC 5545 3.1), without splitting a UTF-8 character."""
    pieces: list[str] = []
    current, size = "", 0
    limit = MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size = " ", 1  # the leading space counts toward the next line's 75
        current += char
        size += width
    pieces.append(current)
    return CRLF.join(pieces)


def utc(moment: dt.datetime) -> str:
    """A DATE-TIME in UTC form: 20270315T133000Z."""
    if moment.tzinfo is None:
        raise ValueError("iCalendar times must be timezone-aware.")
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _line(name: str, value: str) -> str:
    return fold(f"{name}:{value}")


def _event_lines(event: Event, stamp: dt.datetime) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        _line("UID", event.uid),
        _line("DTSTAMP", utc(stamp)),
        _line("DTSTART", utc(event.starts_at)),
        _line("DTEND", utc(event.ends_at)),
        _line("SUMMARY", escape_text(event.summary)),
    ]
    if event.description:
        lines.append(_line("DESCRIPTION", escape_text(event.description)))
    if event.location:
        lines.append(_line("LOCATION", escape_text(event.location)))
    if event.url:
        lines.append(_line("URL", event.url))  # a URI value: not TEXT-escaped
    if event.last_modified is not None:
        lines.append(_line("LAST-MODIFIED", utc(event.last_modified)))
    lines.append(_line("STATUS", "CANCELLED" if event.cancelled else "CONFIRMED"))
    lines.append("END:VEVENT")
    return lines


def calendar(events: Iterable[Event], *, name: str, now: dt.datetime | None = None) -> str:
    """A whole VCALENDAR with the events, as text ending in CRLF."""
    stamp = now or dt.datetime.now(dt.UTC)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        _line("PRODID", PRODID),
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        _line("X-WR-CALNAME", escape_text(name)),
    ]
    for event in events:
        lines.extend(_event_lines(event, stamp))
    lines.append("END:VCALENDAR")
    return CRLF.join(lines) + CRLF


def _domain() -> str:
    return settings.NOTIFICATIONS_MESSAGE_ID_DOMAIN


def session_event(session: object) -> Event:
    """The event for one session (its opportunity and organization loaded)."""
    opportunity = session.opportunity
    where = opportunity.meeting_url if opportunity.is_virtual else opportunity.address
    summary = f"{opportunity.title} ({opportunity.organization.name})"
    if session.note:
        summary = f"{summary}: {session.note}"
    return Event(
        uid=f"wbl-session-{session.pk}@{_domain()}",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        summary=summary,
        description=opportunity.description,
        location=where or "",
        url=links.absolute(links.opportunity(opportunity.pk)),
        cancelled=opportunity.status == OpportunityStatus.CANCELLED,
        last_modified=opportunity.updated_at,
    )


def opportunity_calendar(opportunity: object, sessions: Iterable[object], *, now=None) -> str:
    """The .ics file of one opportunity: each of its sessions."""
    return calendar((session_event(s) for s in sessions), name=opportunity.title, now=now)


def personal_calendar(sessions: Iterable[object], *, name: str, now=None) -> str:
    """A person's feed (``selectors.sessions_for_feed``)."""
    return calendar((session_event(s) for s in sessions), name=name, now=now)
