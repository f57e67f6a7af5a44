"""iCalendar (RFC 5545), no Qt: a meeting request writer (one VEVENT, METHOD:REQUEST) and a
reader of the events of a .ics file (for import as appointments).

Lines end in CRLF and are folded at 75 octets of UTF-8 (a continuation line starts with one
space, RFC 5545 §3.1); TEXT values escape backslash, semicolon, comma and newline (§3.3.11).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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


# -- reading -------------------------------------------------------------------------------


class IcsError(ValueError):
    """The text is not an iCalendar file with an event that can be imported."""


@dataclass(frozen=True)
class ParsedEvent:
    """One VEVENT as an appointment: times are aware; attendees are "Name <address>"."""

    summary: str
    location: str
    start: datetime
    end: datetime
    attendees: tuple[str, ...]
    description: str = ""


_DURATION = re.compile(
    r"^([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$", re.IGNORECASE
)


def unfold(text: str) -> list[str]:
    """The content lines of ``text``: a line break followed by a space or tab is removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [line for line in re.sub(r"\n[ \t]", "", text).split("\n") if line.strip()]


def unescape_text(value: str) -> str:
    """A TEXT value as written: ``\\n``, ``\\,``, ``\\;`` and ``\\\\`` decoded (§3.3.11)."""
    return re.sub(
        r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value, flags=re.DOTALL
    )


def _split_params(head: str) -> tuple[str, dict[str, str]]:
    """``ATTENDEE;CN="A, B";ROLE=X`` → ``("ATTENDEE", {"CN": "A, B", "ROLE": "X"})``."""
    parts = re.findall(r'(?:[^;"]|"[^"]*")+', head)
    name = parts[0].upper() if parts else ""
    params: dict[str, str] = {}
    for part in parts[1:]:
        key, _, value = part.partition("=")
        params[key.strip().upper()] = value.strip().strip('"')
    return name, params


def _content_line(line: str) -> tuple[str, dict[str, str], str]:
    # The value starts at the first colon outside a quoted parameter value.
    in_quotes = False
    for index, char in enumerate(line):
        if char == '"':
            in_quotes = not in_quotes
        elif char == ":" and not in_quotes:
            name, params = _split_params(line[:index])
            return name, params, line[index + 1 :]
    return line.upper(), {}, ""


def parse_moment(value: str, params: dict[str, str]) -> datetime:
    """A DATE or DATE-TIME value as an aware datetime.

    ``...Z`` is UTC; a ``TZID`` parameter names the zone; a "floating" time or an all-day
    DATE is taken in the computer's local zone.
    """
    value = value.strip()
    try:
        if len(value) == 8 or params.get("VALUE", "").upper() == "DATE":
            naive = datetime.strptime(value[:8], "%Y%m%d")
            return naive.astimezone()
        if value.endswith(("Z", "z")):
            return datetime.strptime(value[:-1], "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
        naive = datetime.strptime(value, "%Y%m%dT%H%M%S")
    except ValueError as error:
        raise IcsError(f"“{value}” is not a date and time.") from error
    zone = params.get("TZID")
    if zone:
        try:
            return naive.replace(tzinfo=ZoneInfo(zone))
        except (ZoneInfoNotFoundError, ValueError):
            pass  # Outlook writes Windows zone names ("W. Europe Standard Time"): local time
    return naive.astimezone()


def parse_duration(value: str) -> timedelta:
    """An iCalendar DURATION (``PT1H30M``, ``P1D``) as a timedelta."""
    match = _DURATION.match(value.strip())
    if not match:
        raise IcsError(f"“{value}” is not a duration.")
    sign, weeks, days, hours, minutes, seconds = match.groups()
    delta = timedelta(
        weeks=int(weeks or 0),
        days=int(days or 0),
        hours=int(hours or 0),
        minutes=int(minutes or 0),
        seconds=int(seconds or 0),
    )
    return -delta if sign == "-" else delta


def _attendee(params: dict[str, str], value: str) -> str:
    address = re.sub(r"(?i)^mailto:", "", value.strip())
    name = params.get("CN", "").strip()
    if name and address and name != address:
        return f"{name} <{address}>"
    return name or address


def parse_events(text: str) -> list[ParsedEvent]:
    """Every VEVENT of an iCalendar text, in file order.

    Raises ``IcsError`` when there is no event or an event has no start.
    """
    events: list[ParsedEvent] = []
    current: dict[str, tuple[dict[str, str], str]] | None = None
    attendees: list[str] = []
    depth = 0  # components nested inside the event (VALARM) do not overwrite its fields
    for line in unfold(text):
        name, params, value = _content_line(line)
        if name == "BEGIN" and value.strip().upper() == "VEVENT":
            current, attendees, depth = {}, [], 0
        elif current is not None and name == "BEGIN":
            depth += 1
        elif current is not None and name == "END" and depth:
            depth -= 1
        elif current is not None and name == "END" and value.strip().upper() == "VEVENT":
            events.append(_event(current, attendees))
            current = None
        elif current is not None and not depth:
            if name == "ATTENDEE":
                attendees.append(_attendee(params, value))
            else:
                current.setdefault(name, (params, value))
    if not events:
        raise IcsError("The file holds no appointment (no VEVENT).")
    return events


def _event(fields: dict[str, tuple[dict[str, str], str]], attendees: list[str]) -> ParsedEvent:
    if "DTSTART" not in fields:
        raise IcsError("An appointment in the file has no start time (DTSTART).")
    start = parse_moment(fields["DTSTART"][1], fields["DTSTART"][0])
    if "DTEND" in fields:
        end = parse_moment(fields["DTEND"][1], fields["DTEND"][0])
    elif "DURATION" in fields:
        end = start + parse_duration(fields["DURATION"][1])
    else:
        end = start
    end = max(end, start)

    def text(name: str) -> str:
        return unescape_text(fields[name][1]).strip() if name in fields else ""

    return ParsedEvent(
        summary=text("SUMMARY"),
        location=text("LOCATION"),
        start=start,
        end=end,
        attendees=tuple(a for a in attendees if a),
        description=text("DESCRIPTION"),
    )


_PERSON = re.compile(
    r'(?:"?(?P<name>[^";<>]*?)"?\s*<(?P<address>[^<>\s@]+@[^<>\s]+)>)'
    r"|(?P<bare>[^\s,;<>\"]+@[^\s,;<>\"]+)"
)


def people_from_text(text: str) -> list[Person]:
    """The people of an attendees or To text: ``Name <address>`` or a bare address, separated
    by semicolons, commas or line breaks. Names without an address are left out."""
    people: list[Person] = []
    for match in _PERSON.finditer(text):
        if match.group("bare"):
            people.append(Person("", match.group("bare")))
        else:
            name = match.group("name").strip(" ,;\n\t")
            people.append(Person(name, match.group("address")))
    return people
