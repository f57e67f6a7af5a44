"""Importing a saved e-mail (.eml) and an appointment (.ics): what is kept, non-ASCII included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from bcm_desktop.domain.eml import EmlError, html_to_text, parse_eml
from bcm_desktop.domain.ics import IcsError, Person, parse_events, people_from_text, unfold

PLAIN = (
    b"From: =?utf-8?b?SsO8cmdlbiBNw7xsbGVy?= <juergen@example.de>\r\n"
    b"To: Anna Jansen <anna@example.nl>\r\n"
    b"Subject: =?utf-8?q?Offerte_kassa=E2=80=99s_=E2=82=AC_1=2E200?=\r\n"
    b"Date: Tue, 03 Nov 2026 10:15:00 +0100\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Content-Transfer-Encoding: quoted-printable\r\n"
    b"\r\n"
    b"Beste Anna,=0D=0A=0D=0AHierbij de offerte: =E2=82=AC 1.200 voor de caf=C3=A9.=\r\n"
    b" Met vriendelijke gr=C3=BC=C3=9Fe\r\n"
)

MULTIPART = (
    b"From: Piet de Vries <piet@example.nl>\r\n"
    b"Subject: =?iso-8859-1?q?Afspraak_=E9=E9n_uur?=\r\n"
    b"Date: Wed, 4 Nov 2026 08:00:00 +0000\r\n"
    b"MIME-Version: 1.0\r\n"
    b'Content-Type: multipart/mixed; boundary="outer"\r\n'
    b"\r\n"
    b"--outer\r\n"
    b'Content-Type: multipart/alternative; boundary="inner"\r\n'
    b"\r\n"
    b"--inner\r\n"
    b"Content-Type: text/html; charset=utf-8\r\n"
    b"\r\n"
    b"<p>HTML versie</p>\r\n"
    b"--inner\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Content-Transfer-Encoding: base64\r\n"
    b"\r\n"
    b"VGVrc3QgbWV0IMOpw6luIHVtbGF1dDogw7Y=\r\n"
    b"--inner--\r\n"
    b"--outer\r\n"
    b'Content-Type: application/pdf; name="offerte.pdf"\r\n'
    b"Content-Disposition: attachment; filename=offerte.pdf\r\n"
    b"Content-Transfer-Encoding: base64\r\n"
    b"\r\n"
    b"JVBERi0xLjQK\r\n"
    b"--outer--\r\n"
)

HTML_ONLY = (
    b"From: shop@example.com\r\n"
    b"Subject: Nieuwsbrief\r\n"
    b"Content-Type: text/html; charset=utf-8\r\n"
    b"\r\n"
    b"<html><head><style>p{color:red}</style></head><body><p>Korting&nbsp;op&nbsp;"
    b"<b>kassa&#8217;s</b></p><p>Tot &amp; met vrijdag</p><script>x()</script></body></html>\r\n"
)


def test_plain_message_keeps_subject_sender_date_and_body() -> None:
    mail = parse_eml(PLAIN)
    assert mail.subject == "Offerte kassa’s € 1.200"
    assert mail.sender == "Jürgen Müller <juergen@example.de>"
    assert mail.to == "Anna Jansen <anna@example.nl>"
    assert mail.date == datetime(2026, 11, 3, 10, 15, tzinfo=timezone(timedelta(hours=1)))
    assert mail.body.startswith("Beste Anna,\n\nHierbij de offerte: € 1.200 voor de café.")
    assert mail.body.endswith("Met vriendelijke grüße")


def test_multipart_prefers_plain_text_and_decodes_latin1_subject() -> None:
    mail = parse_eml(MULTIPART)
    assert mail.subject == "Afspraak één uur"
    assert mail.sender == "Piet de Vries <piet@example.nl>"
    assert mail.date == datetime(2026, 11, 4, 8, 0, tzinfo=UTC)
    assert mail.body == "Tekst met één umlaut: ö"


def test_html_only_message_becomes_readable_text() -> None:
    mail = parse_eml(HTML_ONLY)
    assert mail.body == "Korting op kassa’s\nTot & met vrijdag"
    assert mail.date is None
    assert "<" not in html_to_text("<div>a</div><div>b</div>")


def test_something_that_is_no_message_is_refused() -> None:
    with pytest.raises(EmlError):
        parse_eml(b"%PDF-1.4 binary garbage \x00\x01")
    with pytest.raises(EmlError):
        parse_eml(b"")


ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n"
    "SUMMARY:Demo kassa\\, pin & zo\\; café\r\n"
    "LOCATION:Utrecht\\, Oudegracht 1\r\n"
    "DTSTART:20261110T090000Z\r\n"
    "DTEND:20261110T103000Z\r\n"
    'ATTENDEE;CN="Jansen, Anna";RSVP=TRUE:mailto:anna@example.nl\r\n'
    "ATTENDEE;CN=Piet:MAILTO:piet@exam\r\n ple.nl\r\n"
    "DESCRIPTION:Regel 1\\nRegel 2\r\n"
    "BEGIN:VALARM\r\nDESCRIPTION:Reminder\r\nEND:VALARM\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


def test_ics_event_keeps_summary_location_times_and_attendees() -> None:
    (event,) = parse_events(ICS)
    assert event.summary == "Demo kassa, pin & zo; café"
    assert event.location == "Utrecht, Oudegracht 1"
    assert event.start == datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
    assert event.end == datetime(2026, 11, 10, 10, 30, tzinfo=UTC)
    assert event.attendees == ("Jansen, Anna <anna@example.nl>", "Piet <piet@example.nl>")
    assert event.description == "Regel 1\nRegel 2"


def test_ics_time_zone_and_duration() -> None:
    text = (
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:Lunch\n"
        "DTSTART;TZID=Europe/Amsterdam:20260701T120000\nDURATION:PT1H15M\n"
        "END:VEVENT\nEND:VCALENDAR\n"
    )
    (event,) = parse_events(text)
    assert event.start.astimezone(UTC) == datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    assert event.end - event.start == timedelta(hours=1, minutes=15)


def test_ics_without_event_is_refused() -> None:
    assert unfold("A:1\r\n 2\r\nB:3") == ["A:12", "B:3"]
    with pytest.raises(IcsError):
        parse_events("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    with pytest.raises(IcsError):
        parse_events("BEGIN:VEVENT\nSUMMARY:x\nEND:VEVENT\n")


def test_people_from_attendee_text() -> None:
    people = people_from_text('Jansen, Anna <anna@example.nl>; piet@example.nl\n"Bos" <b@x.nl>')
    assert people == [
        Person("Jansen, Anna", "anna@example.nl"),
        Person("", "piet@example.nl"),
        Person("Bos", "b@x.nl"),
    ]
    assert people_from_text("just a name") == []
