"""File → Import: an e-mail (.eml) or appointments (.ics) from disk as history items (S-8).

The file is read and parsed first (so a file that cannot be read is reported before anything
else is asked); then "Link to Record" asks for the record, with Opportunities chosen, and the
items are created linked to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ..domain.eml import EmlError, parse_eml
from ..domain.entities import HistoryItem
from ..domain.enums import HistoryKind, InitiatorKind
from ..domain.errors import DomainError
from ..domain.history import MAX_ADDRESSES, MAX_FILE_SIZE, MAX_FROM, size_text
from ..domain.ics import IcsError, parse_events
from ..domain.links import LinkCandidate, LinkSearchKind
from ..domain.validation import MAX_NAME
from ..services.history import HistoryService
from ..services.links import LinkService
from .dialogs.link_dialog import LinkDialog
from .errors import show_error
from .widgets.single_line import one_line

RECORD_KINDS = (LinkSearchKind.OPPORTUNITIES, LinkSearchKind.ACCOUNTS, LinkSearchKind.CONTACTS)


def _tr(text: str) -> str:
    return QCoreApplication.translate("HistoryImport", text)


@dataclass(frozen=True)
class ImportResult:
    """What an import made: the items and the name of the record they are linked to."""

    items: tuple[HistoryItem, ...]
    record_name: str


def linked_to(item: HistoryItem, record: LinkCandidate) -> HistoryItem:
    """``item`` linked to the chosen record (an opportunity, account or business contact)."""
    if record.ref_kind is InitiatorKind.OPPORTUNITY:
        item.opportunity_id = record.id
    elif record.ref_kind is InitiatorKind.ACCOUNT:
        item.account_id = record.id
    elif record.ref_kind is InitiatorKind.CONTACT:
        item.contact_id = record.id
    return item


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def email_item(data: bytes) -> HistoryItem:
    """The unlinked history item of an .eml file's bytes; ``EmlError`` if it is no e-mail."""
    mail = parse_eml(data)
    return HistoryItem(
        HistoryKind.EMAIL,
        _cut(one_line(mail.subject).strip(), MAX_NAME) or _tr("(no subject)"),
        body=mail.body,
        occurred_at=(mail.date or datetime.now(UTC)).astimezone(UTC),
        email_from=_cut(one_line(mail.sender).strip(), MAX_FROM),
        email_to=_cut(one_line(mail.to).strip(), MAX_ADDRESSES),
    )


def appointment_items(text: str) -> list[HistoryItem]:
    """The unlinked appointments of an .ics file's text; ``IcsError`` if it has none."""
    return [
        HistoryItem(
            HistoryKind.APPOINTMENT,
            _cut(one_line(event.summary).strip(), MAX_NAME) or _tr("(no subject)"),
            body=event.description,
            occurred_at=event.start.astimezone(UTC),
            end_at=event.end.astimezone(UTC),
            location=_cut(one_line(event.location).strip(), MAX_NAME),
            attendees=_cut("; ".join(event.attendees), MAX_ADDRESSES),
        )
        for event in parse_events(text)
    ]


def _read(parent: QWidget | None, title: str, file_filter: str) -> tuple[Path, bytes] | None:
    path_text, _filter = QFileDialog.getOpenFileName(parent, title, "", file_filter)
    if not path_text:
        return None
    path = Path(path_text)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_SIZE:
            _cannot_read(
                parent,
                title,
                path,
                _tr("it is {size}, too large to import.").format(size=size_text(size)),
            )
            return None
        return path, path.read_bytes()
    except OSError as error:
        _cannot_read(parent, title, path, str(error.strerror or error))
        return None


def _cannot_read(parent: QWidget | None, title: str, path: Path, reason: str) -> None:
    QMessageBox.warning(
        parent,
        title,
        _tr("“{name}” cannot be imported: {reason}").format(name=path.name, reason=reason),
    )


def _link_and_save(
    parent: QWidget | None,
    history: HistoryService,
    links: LinkService,
    items: list[HistoryItem],
) -> ImportResult | None:
    record = LinkDialog.ask(
        parent,
        links,
        kinds=RECORD_KINDS,
        initial_kind=LinkSearchKind.OPPORTUNITIES,
        title=_tr("Link to Record"),
    )
    if record is None:
        return None
    try:
        saved = history.create_all([linked_to(item, record) for item in items])
    except DomainError as error:
        show_error(parent, error)
        return None
    return ImportResult(tuple(saved), record.name)


def import_email(
    parent: QWidget | None, history: HistoryService, links: LinkService
) -> ImportResult | None:
    """Ask for an .eml file, then the record to link it to; the created item, or ``None``."""
    title = _tr("Import E-mail")
    chosen = _read(parent, title, _tr("E-mail messages (*.eml);;All files (*)"))
    if chosen is None:
        return None
    path, data = chosen
    try:
        item = email_item(data)
    except EmlError as error:
        _cannot_read(parent, title, path, str(error))
        return None
    return _link_and_save(parent, history, links, [item])


def import_appointment(
    parent: QWidget | None, history: HistoryService, links: LinkService
) -> ImportResult | None:
    """Ask for an .ics file, then the record to link its appointments to."""
    title = _tr("Import Appointment")
    chosen = _read(parent, title, _tr("iCalendar files (*.ics);;All files (*)"))
    if chosen is None:
        return None
    path, data = chosen
    try:
        items = appointment_items(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        _cannot_read(parent, title, path, _tr("it is not a text file in UTF-8."))
        return None
    except IcsError as error:
        _cannot_read(parent, title, path, str(error))
        return None
    return _link_and_save(parent, history, links, items)
