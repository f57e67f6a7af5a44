"""Backups of a SQLite database file: online copies, a rolling set, listing and restoring.

Every copy is made with SQLite's online backup API, never by copying the file of a live
database (which can catch a half-written page or miss what is still in the WAL). The rolling
set keeps one backup per day for the last ``DAILY_KEPT`` days and one per ISO week for the
last ``WEEKLY_KEPT`` weeks; backups made before a migration or a restore are kept apart and
pruned to the newest few.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..domain.errors import DatabaseOpenError

DAILY_KEPT = 7
WEEKLY_KEPT = 4
SPECIAL_KEPT = 5
PAGES_PER_STEP = 256
COUNTED_TABLES = ("opportunities", "accounts", "business_contacts", "history_items")

_NAME = re.compile(
    r"^(?P<kind>[a-z]+(?:-[a-z]+)*)-(?P<stamp>\d{4}[0-9W]*(?:-\d{6})?(?:-raw)?)\.sqlite$"
)

Progress = Callable[[int, int], None]  # (pages copied, total pages)


@dataclass(frozen=True)
class BackupInfo:
    """One backup file, with what a user needs to choose it."""

    path: Path
    kind: str  # daily, weekly, manual, before-migration, before-restore
    made_at: datetime
    size: int
    counts: dict[str, int]
    healthy: bool


def backup_folder(root: Path, database: Path) -> Path:
    """The folder of one database's backups: databases elsewhere never mix their backups."""
    digest = hashlib.sha1(str(database.resolve()).encode()).hexdigest()[:8]
    return root / f"{database.stem}-{digest}"


def copy_database(
    source: Path | sqlite3.Connection, target: Path, progress: Progress | None = None
) -> None:
    """Copy a database with the online backup API into ``target`` (written atomically)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    own = not isinstance(source, sqlite3.Connection)
    connection = sqlite3.connect(f"file:{source}?mode=ro", uri=True) if own else source
    try:
        destination = sqlite3.connect(partial)
        try:

            def step(_status: int, remaining: int, total: int) -> None:
                if progress is not None:
                    progress(total - remaining, total)

            connection.backup(destination, pages=PAGES_PER_STEP, progress=step)  # type: ignore[union-attr]
            destination.execute("PRAGMA journal_mode = DELETE")
        finally:
            destination.close()
    finally:
        if own:
            connection.close()  # type: ignore[union-attr]
    partial.replace(target)


def inspect(path: Path, kind: str) -> BackupInfo:
    """Date, size, record counts and a quick health check of a backup file."""
    stat = path.stat()
    counts: dict[str, int] = {}
    healthy = False
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            healthy = connection.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            for table in COUNTED_TABLES:
                counts[table] = int(
                    connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                )
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        healthy = False
    return BackupInfo(
        path, kind, datetime.fromtimestamp(stat.st_mtime), stat.st_size, counts, healthy
    )


def kind_of(path: Path) -> str:
    """The kind of a backup from its file name (``before-restore-20261128-090000-raw``…)."""
    match = _NAME.match(path.name)
    if match is not None:
        return match.group("kind")
    return path.name.split("-", 1)[0]


def integrity_check(path: Path) -> tuple[list[str], dict[str, int]]:
    """Full ``PRAGMA integrity_check`` on a read-only connection of its own.

    Returns the problems found (empty when healthy) and the record counts that could be read.
    """
    problems: list[str] = []
    counts: dict[str, int] = {}
    connection = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        try:
            rows = [str(row[0]) for row in connection.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as error:
            return [str(error)], counts
        problems = [] if rows == ["ok"] else rows
        for table in COUNTED_TABLES:
            try:
                counts[table] = int(
                    connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                )
            except sqlite3.DatabaseError:
                continue
    finally:
        connection.close()
    return problems, counts


class BackupSet:
    """The backups of one database file."""

    def __init__(self, database: Path, root: Path) -> None:
        self.database = database
        self.folder = backup_folder(root, database)

    def _path(self, kind: str, stamp: str) -> Path:
        return self.folder / f"{kind}-{stamp}.sqlite"

    def make(self, kind: str, now: datetime, progress: Progress | None = None) -> Path:
        """A backup of the current file, named by kind and time."""
        if not self.database.exists():
            raise DatabaseOpenError("There is no database file to back up yet.")
        target = self._path(kind, now.strftime("%Y%m%d-%H%M%S"))
        copy_database(self.database, target, progress)
        self._prune(kind, SPECIAL_KEPT)
        return target

    def daily(self, now: datetime) -> Path | None:
        """The first-start-of-the-day backup, plus a weekly one; None if today's exists."""
        if not self.database.exists():
            return None
        today = self._path("daily", now.strftime("%Y%m%d"))
        if today.exists():
            return None
        copy_database(self.database, today)
        year, week, _ = now.isocalendar()
        weekly = self._path("weekly", f"{year}W{week:02d}")
        if not weekly.exists():
            copy_database(today, weekly)
        self._prune("daily", DAILY_KEPT)
        self._prune("weekly", WEEKLY_KEPT)
        return today

    def _prune(self, kind: str, keep: int) -> None:
        for old in sorted(self.folder.glob(f"{kind}-*.sqlite"), reverse=True)[keep:]:
            old.unlink(missing_ok=True)

    def all(self) -> list[BackupInfo]:
        """Every backup, newest first."""
        if not self.folder.is_dir():
            return []
        found = [inspect(path, kind_of(path)) for path in self.folder.glob("*.sqlite")]
        return sorted(found, key=lambda info: info.made_at, reverse=True)

    def newest_healthy(self) -> BackupInfo | None:
        return next((info for info in self.all() if info.healthy), None)

    def restore(self, backup: Path, now: datetime, progress: Progress | None = None) -> Path | None:
        """Put ``backup`` in place of the database; the current file is backed up first.

        The caller must have closed every connection to the database. Returns the backup of
        the replaced file (``None`` when there was no readable file to keep).
        """
        kept: Path | None = None
        if self.database.exists():
            try:
                kept = self.make("before-restore", now)
            except sqlite3.DatabaseError:
                # A damaged file cannot be copied page by page; keep its bytes as they are.
                kept = self._path("before-restore", now.strftime("%Y%m%d-%H%M%S") + "-raw")
                kept.parent.mkdir(parents=True, exist_ok=True)
                kept.write_bytes(self.database.read_bytes())
        incoming = self.database.with_name(self.database.name + ".restoring")
        copy_database(backup, incoming, progress)
        for suffix in ("-wal", "-shm"):
            Path(str(self.database) + suffix).unlink(missing_ok=True)
        incoming.replace(self.database)
        return kept
