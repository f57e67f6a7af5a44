"""Backups: online copies, the rolling set, and restore after damage gives every record back."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bcm_desktop.domain.entities import Opportunity, RecordRef, User
from bcm_desktop.domain.errors import DatabaseOpenError
from bcm_desktop.repository.backup import DAILY_KEPT, WEEKLY_KEPT, BackupSet
from bcm_desktop.repository.database import Database, open_database
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.opportunities import OpportunityService

NOW = datetime(2026, 11, 28, 9, 0)


def titles(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return [t for (t,) in connection.execute("SELECT title FROM opportunities ORDER BY id")]


@pytest.fixture
def filled(
    database: Database, uow_factory: Callable[[], UnitOfWork], owner: User, account: RecordRef
) -> list[str]:
    service = OpportunityService(uow_factory, owner.id)
    names = [f"Deal {i}" for i in range(25)]
    for name in names:
        service.create(Opportunity(title=name, link=account))
    return names


def test_backup_of_a_live_database_has_every_record(
    database: Database, db_path: Path, filled: list[str], tmp_path: Path
) -> None:
    backups = BackupSet(db_path, tmp_path / "backups")
    steps: list[tuple[int, int]] = []
    made = backups.make("manual", NOW, progress=lambda done, total: steps.append((done, total)))
    assert titles(made) == filled
    assert steps and steps[-1][0] == steps[-1][1]
    (info,) = backups.all()
    assert (info.kind, info.healthy, info.counts["opportunities"]) == ("manual", True, 25)


def test_rolling_set_keeps_seven_days_and_four_weeks(
    database: Database, db_path: Path, filled: list[str], tmp_path: Path
) -> None:
    backups = BackupSet(db_path, tmp_path / "backups")
    for day in range(40):
        backups.daily(NOW + timedelta(days=day))
    assert backups.daily(NOW + timedelta(days=39)) is None  # once a day
    kinds = [info.kind for info in backups.all()]
    assert kinds.count("daily") == DAILY_KEPT
    assert kinds.count("weekly") == WEEKLY_KEPT


def test_damaged_database_is_refused_then_restored_with_every_record(
    db_path: Path, filled: list[str], database: Database, tmp_path: Path
) -> None:
    backups = BackupSet(db_path, tmp_path / "backups")
    good = backups.make("manual", NOW)
    database.close()
    # Damage: overwrite pages in the middle of the file.
    data = bytearray(db_path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 8192] = b"\xff" * 8192
    db_path.write_bytes(bytes(data))
    Path(str(db_path) + "-wal").unlink(missing_ok=True)
    with pytest.raises(DatabaseOpenError):
        open_database(db_path).close()

    newest = backups.newest_healthy()
    assert newest is not None and newest.path == good
    kept = backups.restore(newest.path, NOW + timedelta(minutes=5))
    assert kept is not None and kept.exists()
    reopened = open_database(db_path)
    reopened.close()
    assert titles(db_path) == filled
