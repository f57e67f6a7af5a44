"""Communication history items: load, save and list them for a record."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import Session

from ..domain.entities import HistoryItem
from ..domain.enums import CallDirection, HistoryKind, Priority, TaskStatus
from ..domain.errors import ConflictError, NotFoundError
from ..domain.listing import HistoryListRow
from .orm import (
    AccountRow,
    BusinessProjectRow,
    ContactRow,
    HistoryFileRow,
    HistoryItemRow,
    OpportunityRow,
)

_FIELDS = (
    "subject",
    "body",
    "occurred_at",
    "duration_seconds",
    "due_date",
    "percent_complete",
    "reminder_at",
    "assigned_to_id",
    "email_from",
    "email_to",
    "location",
    "end_at",
    "attendees",
    "file_name",
    "file_size",
    "opportunity_id",
    "account_id",
    "contact_id",
    "project_id",
    "created_by_id",
)


def _item(row: HistoryItemRow) -> HistoryItem:
    values = {name: getattr(row, name) for name in _FIELDS}
    return HistoryItem(
        kind=HistoryKind(row.kind),
        direction=CallDirection(row.direction) if row.direction else None,
        status=TaskStatus(row.status) if row.status else None,
        priority=Priority(row.priority) if row.priority else None,
        id=row.id,
        version=row.version,
        **values,
    )


def _list_row(row: HistoryItemRow) -> HistoryListRow:
    return HistoryListRow(row.id, row.kind, row.subject, row.occurred_at)


class HistoryRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, item_id: int) -> HistoryItem:
        row = self._session.get(HistoryItemRow, item_id)
        if row is None:
            raise NotFoundError("This history item no longer exists.")
        return _item(row)

    def _list(
        self,
        where: ColumnElement[bool],
        kind: HistoryKind | None,
        oldest_first: bool,
    ) -> list[HistoryListRow]:
        query: Select[HistoryItemRow] = select(HistoryItemRow).where(where)
        if kind is not None:
            query = query.where(HistoryItemRow.kind == kind.value)
        if oldest_first:
            query = query.order_by(HistoryItemRow.occurred_at, HistoryItemRow.id)
        else:
            query = query.order_by(HistoryItemRow.occurred_at.desc(), HistoryItemRow.id.desc())
        return [_list_row(row) for row in self._session.scalars(query)]

    def for_opportunity(
        self, opportunity_id: int, kind: HistoryKind | None = None, oldest_first: bool = False
    ) -> list[HistoryListRow]:
        """Items linked to the opportunity, newest first unless ``oldest_first``."""
        return self._list(HistoryItemRow.opportunity_id == opportunity_id, kind, oldest_first)

    def for_account(
        self, account_id: int, kind: HistoryKind | None = None, oldest_first: bool = False
    ) -> list[HistoryListRow]:
        """Items of the account itself and of the opportunities linked to it (S-1.2).

        The opportunities are resolved at query time, so changing an opportunity's link
        moves its items to the history of the new account or contact.
        """
        linked = select(OpportunityRow.id).where(OpportunityRow.link_account_id == account_id)
        where = or_(
            HistoryItemRow.account_id == account_id,
            HistoryItemRow.opportunity_id.in_(linked),
        )
        return self._list(where, kind, oldest_first)

    def for_contact(
        self, contact_id: int, kind: HistoryKind | None = None, oldest_first: bool = False
    ) -> list[HistoryListRow]:
        """Items of the contact itself and of the opportunities linked to it (S-1.2)."""
        linked = select(OpportunityRow.id).where(OpportunityRow.link_contact_id == contact_id)
        where = or_(
            HistoryItemRow.contact_id == contact_id,
            HistoryItemRow.opportunity_id.in_(linked),
        )
        return self._list(where, kind, oldest_first)

    def add(self, item: HistoryItem, content: bytes | None = None) -> int:
        """Insert the item (and a File's ``content``); its new id."""
        row = HistoryItemRow(kind=item.kind.value)
        for name in _FIELDS:
            value = getattr(item, name)
            if value is not None:
                setattr(row, name, value)
        row.direction = item.direction.value if item.direction else None
        row.status = item.status.value if item.status else None
        row.priority = item.priority.value if item.priority else None
        self._session.add(row)
        self._session.flush()
        if content is not None:
            self._session.add(HistoryFileRow(history_id=row.id, data=content))
            self._session.flush()
        return row.id

    def _row(self, item_id: int, version: int) -> HistoryItemRow:
        row = self._session.get(HistoryItemRow, item_id)
        if row is None:
            raise NotFoundError("This history item no longer exists.")
        if row.version != version:
            raise ConflictError(
                "This history item was changed elsewhere since it was opened. "
                "Close it and open it again to see the change."
            )
        return row

    def update(self, item: HistoryItem, content: bytes | None = None) -> None:
        """Write every field of a saved item (the kind and the links stay as they are);
        ``content`` replaces a File's stored bytes when given."""
        row = self._row(item.id or 0, item.version)
        for name in _FIELDS:
            if name in ("opportunity_id", "account_id", "contact_id", "project_id"):
                continue
            if name == "created_by_id":
                continue
            setattr(row, name, getattr(item, name))
        row.body = item.body or ""
        row.direction = item.direction.value if item.direction else None
        row.status = item.status.value if item.status else None
        row.priority = item.priority.value if item.priority else None
        if content is not None:
            stored = self._session.get(HistoryFileRow, row.id)
            if stored is None:
                self._session.add(HistoryFileRow(history_id=row.id, data=content))
            else:
                stored.data = content
        self._session.flush()

    def delete(self, item_id: int, version: int) -> None:
        """Delete the item and its stored file."""
        row = self._row(item_id, version)
        stored = self._session.get(HistoryFileRow, item_id)
        if stored is not None:
            self._session.delete(stored)
        self._session.delete(row)
        self._session.flush()

    def link_exists(self, item: HistoryItem) -> bool:
        """Whether the record the item is linked to still exists."""
        for table, record_id in (
            (OpportunityRow, item.opportunity_id),
            (AccountRow, item.account_id),
            (ContactRow, item.contact_id),
            (BusinessProjectRow, item.project_id),
        ):
            if record_id is not None:
                return self._session.get(table, record_id) is not None
        return False

    def file_content(self, item_id: int) -> bytes:
        """The stored bytes of a File item."""
        data = self._session.scalar(
            select(HistoryFileRow.data).where(HistoryFileRow.history_id == item_id)
        )
        if data is None:
            raise NotFoundError("The file of this history item is no longer stored.")
        return bytes(data)
