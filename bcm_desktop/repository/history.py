"""Communication history items: load, save and list them for a record."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..domain.entities import HistoryItem
from ..domain.enums import CallDirection, HistoryKind, Priority, TaskStatus
from ..domain.errors import NotFoundError
from ..domain.listing import HistoryListRow
from .orm import HistoryItemRow, OpportunityRow

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

    def for_opportunity(self, opportunity_id: int) -> list[HistoryListRow]:
        """Items linked to the opportunity, newest first."""
        rows = self._session.scalars(
            select(HistoryItemRow)
            .where(HistoryItemRow.opportunity_id == opportunity_id)
            .order_by(HistoryItemRow.occurred_at.desc(), HistoryItemRow.id.desc())
        )
        return [_list_row(row) for row in rows]

    def for_account(self, account_id: int) -> list[HistoryListRow]:
        """Items of the account itself and of the opportunities linked to it (S-1.2)."""
        linked = select(OpportunityRow.id).where(OpportunityRow.link_account_id == account_id)
        rows = self._session.scalars(
            select(HistoryItemRow)
            .where(
                or_(
                    HistoryItemRow.account_id == account_id,
                    HistoryItemRow.opportunity_id.in_(linked),
                )
            )
            .order_by(HistoryItemRow.occurred_at.desc(), HistoryItemRow.id.desc())
        )
        return [_list_row(row) for row in rows]

    def for_contact(self, contact_id: int) -> list[HistoryListRow]:
        """Items of the contact itself and of the opportunities linked to it (S-1.2)."""
        linked = select(OpportunityRow.id).where(OpportunityRow.link_contact_id == contact_id)
        rows = self._session.scalars(
            select(HistoryItemRow)
            .where(
                or_(
                    HistoryItemRow.contact_id == contact_id,
                    HistoryItemRow.opportunity_id.in_(linked),
                )
            )
            .order_by(HistoryItemRow.occurred_at.desc(), HistoryItemRow.id.desc())
        )
        return [_list_row(row) for row in rows]

    def add(self, item: HistoryItem) -> int:
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
        return row.id
