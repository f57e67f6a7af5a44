"""The meeting request writer, read back with a tiny RFC 5545 unfolding parser."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from bcm_desktop.domain.ics import Person, escape_text, fold, meeting_request

AMSTERDAM_WINTER = timezone(timedelta(hours=1))


def unfold(text: str) -> list[str]:
    """Content lines: CRLF followed by one space or tab continues the previous line."""
    assert text.endswith("\r\n")
    return text[:-2].replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")


def parse(text: str) -> list[tuple[str, dict[str, str], str]]:
    """(name, params, value) per content line; quoted parameter values may hold ':' ';'."""
    parsed = []
    for line in unfold(text):
        head, value, in_quotes = "", "", False
        for index, char in enumerate(line):
            if char == '"':
                in_quotes = not in_quotes
            elif char == ":" and not in_quotes:
                head, value = line[:index], line[index + 1 :]
                break
        name, *raw_params = head.split(";")  # no ';' inside the quoted names used here
        params = dict(p.split("=", 1) for p in raw_params)
        parsed.append((name, params, value))
    return parsed


def unescape(value: str) -> str:
    out, chars = [], iter(value)
    for char in chars:
        if char == "\\":
            nxt = next(chars)
            out.append("\n" if nxt in "nN" else nxt)
        else:
            out.append(char)
    return "".join(out)


def request(**overrides: object) -> str:
    values: dict[str, object] = {
        "uid": "opp-7-20261128T100000Z@bcm-desktop",
        "stamp": datetime(2026, 11, 28, 9, 15, 30, tzinfo=UTC),
        "start": datetime(2026, 12, 1, 14, 0, tzinfo=AMSTERDAM_WINTER),
        "end": datetime(2026, 12, 1, 15, 30, tzinfo=AMSTERDAM_WINTER),
        "summary": "Kassa's; offerte, bespreken\\nu",
        "location": "Utrecht, Oudegracht 1",
        "description": "Line one\nLine two; with, punctuation",
        "organizer": Person("Olivia Owner", "olivia@example.com"),
        "attendees": [Person("Bakkerij de Vries, Utrecht", "info@devries.example")],
    }
    values.update(overrides)
    return meeting_request(**values)  # type: ignore[arg-type]


def test_structure_times_and_people() -> None:
    lines = parse(request())
    names = [name for name, _params, _value in lines]
    assert names[:6] == ["BEGIN", "PRODID", "VERSION", "CALSCALE", "METHOD", "BEGIN"]
    assert names[-2:] == ["END", "END"]
    props = {name: (params, value) for name, params, value in lines}
    assert props["METHOD"][1] == "REQUEST"
    assert props["UID"][1] == "opp-7-20261128T100000Z@bcm-desktop"
    assert props["DTSTAMP"][1] == "20261128T091530Z"
    assert props["DTSTART"][1] == "20261201T130000Z"  # 14:00 at UTC+1
    assert props["DTEND"][1] == "20261201T143000Z"
    attendee_params, attendee = props["ATTENDEE"]
    assert attendee == "mailto:info@devries.example"
    assert attendee_params["CN"] == '"Bakkerij de Vries, Utrecht"'
    assert attendee_params["RSVP"] == "TRUE"
    organizer_params, organizer = props["ORGANIZER"]
    assert organizer == "mailto:olivia@example.com"
    assert organizer_params["CN"] == '"Olivia Owner"'


def test_text_is_escaped_and_reads_back() -> None:
    props = {name: value for name, _params, value in parse(request())}
    assert props["SUMMARY"] == "Kassa's\\; offerte\\, bespreken\\\\nu"
    assert unescape(props["SUMMARY"]) == "Kassa's; offerte, bespreken\\nu"
    assert unescape(props["DESCRIPTION"]) == "Line one\nLine two; with, punctuation"
    assert unescape(props["LOCATION"]) == "Utrecht, Oudegracht 1"
    assert escape_text("a\r\nb\rc") == "a\\nb\\nc"


def test_crlf_everywhere_and_folded_at_75_octets() -> None:
    long_description = "Één lange beschrijving met accenten — " * 12
    text = request(description=long_description)
    assert "\n" not in text.replace("\r\n", "")
    physical = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    assert any(line.startswith(" ") for line in physical)  # it was folded
    props = {name: value for name, _params, value in parse(text)}
    assert unescape(props["DESCRIPTION"]) == long_description


def test_fold_never_splits_a_character() -> None:
    folded = fold("X" * 74 + "€€")  # € is three octets: it cannot start on octet 75
    first, second = folded.split("\r\n")
    assert first == "X" * 74
    assert second == " €€"


def test_people_without_an_address_are_left_out() -> None:
    text = request(organizer=Person("Olivia", ""), attendees=[Person("Nobody", "")])
    names = [name for name, _params, _value in parse(text)]
    assert "ORGANIZER" not in names
    assert "ATTENDEE" not in names


def test_naive_or_reversed_times_are_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        request(start=datetime(2026, 12, 1, 14, 0), end=datetime(2026, 12, 1, 15, 0))
    with pytest.raises(ValueError, match="before"):
        request(end=datetime(2026, 12, 1, 13, 0, tzinfo=AMSTERDAM_WINTER))
