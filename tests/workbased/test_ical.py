"""iCalendar files are valid RFC 5545: parsed back, CRLF, folded at 75 octets, escaped, UTC."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories.workbased import ApplicationFactory, OpportunityFactory, at
from workbased import ical, selectors
from workbased.enums import ApplicationStatus, OpportunityStatus

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 3, 1, 12, 0, tzinfo=dt.UTC)


def parse(text: str) -> list[dict[str, str]]:
    """Unfold (RFC 5545 3.1) and read the VEVENTs back into {name: value} dicts."""
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")  # every line ends in CRLF, no bare LF
    physical = text.split("\r\n")[:-1]
    for line in physical:
        assert len(line.encode("utf-8")) <= 75, line
    logical: list[str] = []
    for line in physical:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    assert logical[0] == "BEGIN:VCALENDAR" and logical[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in logical and any(x.startswith("PRODID:") for x in logical)
    events, current = [], None
    for line in logical:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            name, value = line.split(":", 1)
            current[name] = value
    return events


def unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            out.append("\n" if value[i + 1] in "nN" else value[i + 1])
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def test_an_opportunitys_calendar_has_each_session_in_utc(org):
    opportunity = OpportunityFactory(
        organization=org,
        title="Hospital tour; scrubs, badges & more",
        description="Line one\nLine two, with a comma; and a semicolon \\ backslash. " + "é" * 80,
        address="100 Pearl Street, New York, NY",
        sessions=[(at(10, 9), at(10, 11)), (at(17, 9, 30), at(17, 11))],
    )

    text = ical.opportunity_calendar(opportunity, opportunity.sessions.all(), now=NOW)
    events = parse(text)

    assert len(events) == 2
    first, second = events
    assert first["DTSTART"] == at(10, 9).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert second["DTEND"].endswith("Z")
    assert first["DTSTAMP"] == "20270301T120000Z"
    assert first["UID"] != second["UID"] and first["UID"].startswith("wbl-session-")
    assert unescape(first["SUMMARY"]) == f"Hospital tour; scrubs, badges & more ({org.name})"
    assert unescape(first["DESCRIPTION"]) == opportunity.description
    assert unescape(first["LOCATION"]) == "100 Pearl Street, New York, NY"
    assert "\\;" in first["SUMMARY"] and "\\," in first["LOCATION"]
    assert first["URL"].endswith(f"/opportunities/{opportunity.pk}/")
    assert first["STATUS"] == "CONFIRMED"


def test_the_uid_is_stable_across_downloads(org):
    opportunity = OpportunityFactory(organization=org)
    first = parse(ical.opportunity_calendar(opportunity, opportunity.sessions.all(), now=NOW))
    later = parse(ical.opportunity_calendar(opportunity, opportunity.sessions.all()))
    assert first[0]["UID"] == later[0]["UID"]


def test_folding_never_splits_a_utf8_character():
    line = "DESCRIPTION:" + "ñ" * 100
    folded = ical.fold(line)
    pieces = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert "".join(p[1:] if i else p for i, p in enumerate(pieces)) == line


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        ical.utc(dt.datetime(2027, 3, 1, 9, 0))


def test_a_students_feed_has_their_accepted_sessions_and_cancellations(org, profile, student):
    accepted = OpportunityFactory(organization=org)
    cancelled = OpportunityFactory(organization=org, status=OpportunityStatus.CANCELLED)
    pending = OpportunityFactory(organization=org)
    ApplicationFactory(student=profile, opportunity=accepted, status=ApplicationStatus.ACCEPTED)
    ApplicationFactory(student=profile, opportunity=cancelled, status=ApplicationStatus.ACCEPTED)
    ApplicationFactory(student=profile, opportunity=pending)
    ApplicationFactory(opportunity=pending, status=ApplicationStatus.ACCEPTED)  # someone else

    sessions = selectors.sessions_for_feed(user=student)
    events = parse(ical.personal_calendar(sessions, name="Ana's opportunities", now=NOW))

    assert sorted(e["STATUS"] for e in events) == ["CANCELLED", "CONFIRMED"]
    assert {unescape(e["SUMMARY"]).split(" (")[0] for e in events} == {
        accepted.title,
        cancelled.title,
    }


def test_an_empty_feed_is_still_a_valid_calendar():
    text = ical.personal_calendar([], name="Nothing yet", now=NOW)
    assert parse(text) == []
    assert "X-WR-CALNAME:Nothing yet\r\n" in text


def test_a_feed_link_names_its_owner_and_a_tampered_one_is_refused(student):
    from workbased import tokens

    token = tokens.feed_token(user_id=student.pk)
    assert selectors.feed_owner(token=token) == student
    with pytest.raises(tokens.TokenInvalid):
        selectors.feed_owner(token=token[:-1] + ("A" if token[-1] != "A" else "B"))
    student.is_active = False
    student.save()
    with pytest.raises(tokens.TokenInvalid):
        selectors.feed_owner(token=token)
