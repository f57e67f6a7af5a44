"""Data safety for a database file: backups made on request, the list to restore from, restore,
and a full integrity check. No Qt: the window runs these off the UI thread itself.

Every failure of the file system or of SQLite becomes a :class:`MaintenanceError`, a
``DomainError`` whose message is meant for the user.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..domain.errors import DomainError
from ..repository.backup import BackupSet, copy_database, integrity_check

Progress = Callable[[int, int], None]  # (pages copied, total pages)


class MaintenanceError(DomainError):
    """A backup, restore or check could not be done; the message says why."""


@dataclass(frozen=True)
class BackupEntry:
    """One backup as the restore list shows it."""

    path: Path
    kind: str  # daily, weekly, manual, before-migration, before-restore
    made_at: datetime
    size: int
    opportunities: int
    accounts: int
    contacts: int
    healthy: bool


@dataclass(frozen=True)
class IntegrityReport:
    """What ``PRAGMA integrity_check`` found: nothing (healthy) or the problems."""

    problems: list[str]
    opportunities: int
    accounts: int
    contacts: int

    @property
    def healthy(self) -> bool:
        return not self.problems


class MaintenanceService:
    """Backups, restore and integrity check of the database file ``database_path``."""

    def __init__(self, database_path: Path, backup_root: Path) -> None:
        self.database_path = database_path
        self.backups = BackupSet(database_path, backup_root)

    def back_up_to(self, target: Path, progress: Progress | None = None) -> int:
        """An online copy of the live database at ``target``; returns its size in bytes."""
        if target.resolve() == self.database_path.resolve():
            raise MaintenanceError("A backup cannot replace the database it copies.")
        try:
            copy_database(self.database_path, target, progress)
            return target.stat().st_size
        except (OSError, sqlite3.Error) as error:
            raise MaintenanceError(f"The backup could not be written: {error}") from error

    def backups_list(self) -> list[BackupEntry]:
        """Every backup of this database, newest first."""
        try:
            found = self.backups.all()
        except (OSError, sqlite3.Error) as error:
            raise MaintenanceError(f"The backups could not be listed: {error}") from error
        return [
            BackupEntry(
                info.path,
                info.kind,
                info.made_at,
                info.size,
                info.counts.get("opportunities", 0),
                info.counts.get("accounts", 0),
                info.counts.get("business_contacts", 0),
                info.healthy,
            )
            for info in found
        ]

    def restore(self, backup: Path, now: datetime, progress: Progress | None = None) -> Path | None:
        """Put ``backup`` in place of the database, keeping the current file as a backup first.

        Every connection to the database must be closed. Returns the kept backup.
        """
        try:
            return self.backups.restore(backup, now, progress)
        except (OSError, sqlite3.Error) as error:
            raise MaintenanceError(
                f"The backup could not be restored: {error}. The database was not changed."
            ) from error

    def check(self) -> IntegrityReport:
        """Full integrity check on a separate read-only connection (slow on big files)."""
        try:
            problems, counts = integrity_check(self.database_path)
        except (OSError, sqlite3.Error) as error:
            problems, counts = [str(error)], {}
        return IntegrityReport(
            problems,
            counts.get("opportunities", 0),
            counts.get("accounts", 0),
            counts.get("business_contacts", 0),
        )
