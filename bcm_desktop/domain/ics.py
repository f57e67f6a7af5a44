"""An iCalendar (RFC 5545) meeting request writer: one VEVENT with METHOD:REQUEST, no Qt.

Lines end in CRLF and are folded at 75 octets of UTF-8 (a continuation line starts with one
space, RFC 5545 §3.1); TEXT values escape backslash, semicolon, comma and newline (§3.3.11).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

CRLF = "\r\n"
MAX_OCTETS = 75
PRODID = "-//BCM Desktop//Opportunity meeting request//EN"
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


@dataclass(frozen=True)
class Person:
    """An organizer or attendee: a display name and an e-mail address."""

    name: str
    email: str


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, every line break as ``\\n``."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = text.replace("\n", "\\n")
    return _CONTROL.sub("", text)


def _param(value: str) -> str:
    """A quoted parameter value (CN): double quotes and control characters cannot appear."""
    cleaned = _CONTROL.sub(" ", value.replace("\t", " ")).replace('"', "'").strip()
    return f'"{cleaned}"'


def fold(line: str) -> str:
    """Fold one content line into pieces of at most 75 octets, never inside a character."""
    pieces: list[str] = []
    current = ""
    size = 0
    limit = MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size = " ", 1  # the leading space counts towards the next 75
        current += char
        size += width
    pieces.append(current)
    return CRLF.join(pieces)


def utc_stamp(moment: datetime) -> str:
    """A DATE-TIME in UTC ("Z") form. Naive datetimes are refused: their zone is unknown."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a meeting time needs a time zone")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _address(person: Person) -> str:
    return f"CN={_param(person.name or person.email)}:mailto:{person.email.strip()}"


def meeting_request(
    *,
    uid: str,
    stamp: datetime,
    start: datetime,
    end: datetime,
    summary: str,
    location: str = "",
    description: str = "",
    organizer: Person | None = None,
    attendees: Sequence[Person] = (),
) -> str:
    """The text of a ``.ics`` file inviting ``attendees`` to one meeting.

    Attendees and an organizer without an e-mail address are left out: iCalendar addresses
    people by ``mailto:`` URI only.
    """
    if end < start:
        raise ValueError("a meeting cannot end before it starts")
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODID}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:REQUEST",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{utc_stamp(stamp)}",
        f"DTSTART:{utc_stamp(start)}",
        f"DTEND:{utc_stamp(end)}",
        f"SUMMARY:{escape_text(summary)}",
    ]
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    if organizer is not None and organizer.email.strip():
        lines.append(f"ORGANIZER;{_address(organizer)}")
    for person in attendees:
        if person.email.strip():
            lines.append(
                "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;" + _address(person)
            )
    lines += ["SEQUENCE:0", "STATUS:CONFIRMED", "TRANSP:OPAQUE", "END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + CRLF for line in lines)
