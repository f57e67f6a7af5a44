"""Reading a saved e-mail message (.eml, RFC 5322/MIME) for import as a history item, no Qt.

The standard library's ``email`` package with the modern ``policy.default`` decodes encoded
words in headers (``=?utf-8?q?...?=``), quoted-printable and base64 bodies and each part's
charset. The body is the first ``text/plain`` part; a message with HTML only gets its text
with tags and scripts removed.
"""

from __future__ import annotations

import email
import email.policy
import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import parsedate_to_datetime


class EmlError(ValueError):
    """The bytes are not an e-mail message that can be imported."""


@dataclass(frozen=True)
class ParsedEmail:
    """What an imported e-mail keeps: subject, sender, recipients, date (aware) and body."""

    subject: str
    sender: str
    to: str
    date: datetime | None
    body: str


_BLOCK_END = re.compile(r"(?i)<\s*(br|/p|/div|/tr|/h[1-6]|/li)\b[^>]*>")
_INVISIBLE = re.compile(r"(?is)<\s*(script|style|head)\b.*?<\s*/\s*\1\s*>")
_TAG = re.compile(r"(?s)<[^>]*>")
_BLANK_LINES = re.compile(r"\n[ \t]*\n[ \t\n]*")


def html_to_text(markup: str) -> str:
    """Readable text of an HTML body: line breaks kept, tags removed, entities decoded."""
    text = _INVISIBLE.sub("", markup)
    text = _BLOCK_END.sub("\n", text)
    text = _TAG.sub("", text)
    text = html.unescape(text).replace("\xa0", " ")
    lines = [line.strip() for line in text.splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _header(message: EmailMessage, name: str) -> str:
    value = message.get(name)
    # Folded headers keep their line breaks; a subject is one line.
    return " ".join(str(value).split()) if value is not None else ""


def _date(message: EmailMessage) -> datetime | None:
    raw = message.get("Date")
    if raw is None:
        return None
    try:
        moment = parsedate_to_datetime(str(raw))
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:  # "-0000": the zone is unknown; RFC 5322 says take it as UTC
        moment = moment.replace(tzinfo=UTC)
    return moment


def _text(part: EmailMessage) -> str:
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, ValueError):
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    return content if isinstance(content, str) else ""


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    if isinstance(part, EmailMessage):
        return _text(part).replace("\r\n", "\n").strip()
    part = message.get_body(preferencelist=("html",))
    if isinstance(part, EmailMessage):
        return html_to_text(_text(part))
    return ""


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def parse_eml(data: bytes) -> ParsedEmail:
    """The subject, sender, recipients, date and body of one message.

    Raises ``EmlError`` when the bytes hold no message headers at all.
    """
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not message.keys():
        raise EmlError("The file holds no e-mail message.")
    if not any(message.get(name) for name in ("From", "Subject", "Date", "To")):
        raise EmlError("The file holds no e-mail message: it has no From, To, Subject or Date.")
    return ParsedEmail(
        subject=_header(message, "Subject"),
        sender=_header(message, "From"),
        to=_header(message, "To"),
        date=_date(message),
        # Stray control characters (a NUL from a broken mailer) cannot be stored as text.
        body=_CONTROL.sub("", _body(message)),
    )
