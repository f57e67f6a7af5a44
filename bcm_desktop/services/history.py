"""Communication history (S-1.2, S-8): list, create, change and delete the items of a record.

Every kind is checked by :func:`bcm_desktop.domain.history.validated`; a File's content is
stored in the database (``history_files``) and read back only when the file is opened.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from ..domain.entities import HistoryItem
from ..domain.enums import HistoryKind
from ..domain.errors import NotFoundError, ValidationError
from ..domain.history import check_file_size, validated
from ..domain.listing import HistoryListRow
from ..repository.deleted_items import HISTORY_ITEMS
from ..repository.unit_of_work import UnitOfWork

_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def safe_file_name(name: str) -> str:
    """The stored name made safe to write on any system (no folders, no reserved marks)."""
    cleaned = _UNSAFE_NAME.sub("_", name).strip(" .")
    return cleaned[:200] or "file"


class HistoryService:
    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        user_id: int | None = None,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._uow = uow_factory
        self.user_id = user_id
        self._now = now

    # -- reading -------------------------------------------------------------------------

    def for_opportunity(
        self, opportunity_id: int, kind: HistoryKind | None = None, oldest_first: bool = False
    ) -> list[HistoryListRow]:
        """The opportunity's items, newest first (or oldest first), of one kind or all."""
        with self._uow() as uow:
            return uow.history.for_opportunity(opportunity_id, kind, oldest_first)

    def for_account(
        self, account_id: int, kind: HistoryKind | None = None, oldest_first: bool = False
    ) -> list[HistoryListRow]:
        """The account's items and those of the opportunities linked to it now."""
        with self._uow() as uow:
            return uow.history.for_account(account_id, kind, oldest_first)

    def for_contact(
        self, contact_id: int, kind: HistoryKind | None = None, oldest_first: bool = False
    ) -> list[HistoryListRow]:
        """The contact's items and those of the opportunities linked to it now."""
        with self._uow() as uow:
            return uow.history.for_contact(contact_id, kind, oldest_first)

    def get(self, item_id: int) -> HistoryItem:
        with self._uow() as uow:
            return uow.history.get(item_id)

    def file_content(self, item_id: int) -> bytes:
        """The bytes of a File item, exactly as they were stored."""
        with self._uow() as uow:
            return uow.history.file_content(item_id)

    # -- writing -------------------------------------------------------------------------

    def create(self, item: HistoryItem, content: bytes | None = None) -> HistoryItem:
        """Save a new item; a File needs ``content``. Returns the item as stored.

        Raises ``ValidationError`` (nothing is written) or ``NotFoundError`` when the linked
        record was deleted meanwhile.
        """
        if item.occurred_at is None:
            item = replace(item, occurred_at=self._now())
        item = self._checked(item, content, new=True)
        with self._uow() as uow:
            if not uow.history.link_exists(item):
                raise NotFoundError(
                    "The record this item is linked to no longer exists. Nothing was saved."
                )
            _check_assignee(uow, item.assigned_to_id)
            item_id = uow.history.add(
                replace(item, created_by_id=self.user_id, id=None),
                content if item.kind is HistoryKind.FILE else None,
            )
            uow.commit()
        return self.get(item_id)

    def create_all(self, items: list[HistoryItem]) -> list[HistoryItem]:
        """Save several new items (an imported calendar's appointments) in one transaction:
        all of them, or none when one is refused. Files are not created this way."""
        checked = [
            self._checked(
                item if item.occurred_at is not None else replace(item, occurred_at=self._now()),
                None,
                new=True,
            )
            for item in items
        ]
        ids = []
        with self._uow() as uow:
            for item in checked:
                if not uow.history.link_exists(item):
                    raise NotFoundError(
                        "The record these items are linked to no longer exists. Nothing was saved."
                    )
                _check_assignee(uow, item.assigned_to_id)
                ids.append(uow.history.add(replace(item, created_by_id=self.user_id, id=None)))
            uow.commit()
            return [uow.history.get(item_id) for item_id in ids]

    def update(self, item: HistoryItem, content: bytes | None = None) -> HistoryItem:
        """Save changes to an item (its links stay); ``content`` replaces a File's bytes.

        Raises ``ValidationError``, ``NotFoundError`` or ``ConflictError`` (changed elsewhere).
        """
        item_id = item.id
        if item_id is None:
            raise NotFoundError("This history item was never saved.")
        item = self._checked(item, content, new=False)
        with self._uow() as uow:
            _check_assignee(uow, item.assigned_to_id, uow.history.get(item_id).assigned_to_id)
            uow.history.update(item, content if item.kind is HistoryKind.FILE else None)
            uow.commit()
        return self.get(item_id)

    def delete(self, item_id: int, version: int) -> None:
        """Move an item, with its stored file, to Deleted Items."""
        with self._uow() as uow:
            uow.deleted.archive(HISTORY_ITEMS, [item_id], self.user_id, self._now())
            uow.history.delete(item_id, version)
            uow.commit()

    def _checked(self, item: HistoryItem, content: bytes | None, *, new: bool) -> HistoryItem:
        if item.kind is HistoryKind.FILE:
            if content is not None:
                check_file_size(len(content))
                item = replace(item, file_size=len(content))
            elif new:
                raise ValidationError("Choose the file to store.", "file")
        elif content is not None:
            raise ValidationError("Only a File item stores file content.", "file")
        return validated(item)

    # -- files on disk -------------------------------------------------------------------

    def save_file_as(self, item_id: int, target: Path) -> Path:
        """Write a File item's content to ``target`` (replacing it); the path written."""
        data = self.file_content(item_id)
        target.write_bytes(data)
        return target

    def temporary_copy(self, item_id: int, folder: Path | None = None) -> Path:
        """Write a File item's content to a new temporary folder under its original name,
        so the program that opens it shows the real name; the path of the copy."""
        item = self.get(item_id)
        if item.kind is not HistoryKind.FILE:
            raise ValidationError("Only a File item has a file to open.", "file")
        base = folder if folder is not None else Path(tempfile.gettempdir())
        base.mkdir(parents=True, exist_ok=True)
        directory = Path(tempfile.mkdtemp(prefix="bcm-history-", dir=base))
        return self.save_file_as(item_id, directory / safe_file_name(item.file_name))


def _check_assignee(uow: UnitOfWork, user_id: int | None, stored: int | None = None) -> None:
    """A task goes only to someone the database is shared with; one already assigned to a
    since removed user (``stored``) keeps them."""
    if user_id is None or user_id == stored:
        return
    user = uow.users.get(user_id)
    if not user.active:
        raise ValidationError(
            f"{user.name} no longer shares this database; assign the task to someone else.",
            "assigned_to",
        )
