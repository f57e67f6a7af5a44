"""Several history items saved as one user action (File → Import of a calendar)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bcm_desktop.domain.entities import HistoryItem, RecordRef, User
from bcm_desktop.domain.enums import HistoryKind
from bcm_desktop.domain.errors import NotFoundError, ValidationError
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.history import HistoryService

START = datetime(2026, 11, 10, 9, tzinfo=UTC)


def appointment(subject: str, account: RecordRef, start: datetime = START) -> HistoryItem:
    return HistoryItem(
        HistoryKind.APPOINTMENT,
        subject,
        occurred_at=start,
        end_at=start + timedelta(hours=1),
        account_id=account.id,
    )


def count(db_path: Path) -> int:
    with sqlite3.connect(db_path) as connection:
        (n,) = connection.execute("SELECT count(*) FROM history_items").fetchone()
    connection.close()
    return int(n)


def test_all_items_are_saved_with_their_creator(
    uow_factory: Callable[[], UnitOfWork], owner: User, account: RecordRef, db_path: Path
) -> None:
    history = HistoryService(uow_factory, owner.id)
    saved = history.create_all([appointment("Demo", account), appointment("Visit", account)])
    assert [item.subject for item in saved] == ["Demo", "Visit"]
    assert all(item.id is not None and item.created_by_id == owner.id for item in saved)
    assert count(db_path) == 2


def test_one_refused_item_saves_none(
    uow_factory: Callable[[], UnitOfWork], owner: User, account: RecordRef, db_path: Path
) -> None:
    history = HistoryService(uow_factory, owner.id)
    old = datetime(1850, 1, 1, tzinfo=UTC)
    with pytest.raises(ValidationError, match="1900"):
        history.create_all([appointment("Demo", account), appointment("Old", account, old)])
    gone = RecordRef(account.kind, account.id + 99)
    with pytest.raises(NotFoundError):
        history.create_all([appointment("Demo", account), appointment("Lost", gone)])
    assert count(db_path) == 0
