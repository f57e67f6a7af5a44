"""Opening a database: SQLite pragmas, file checks, migrations at start-up, backups.

SQLite runs in WAL mode with ``synchronous=FULL``: a commit costs about 0.3 ms instead of
0.06 ms with NORMAL, and in exchange a power cut never loses a commit the user saw succeed.
Writes start with ``BEGIN IMMEDIATE`` so two processes never deadlock upgrading a read lock.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ..domain.errors import DatabaseOpenError
from .backup import BackupSet

log = logging.getLogger(__name__)

APPLICATION_ID = 0x42434D44  # "BCMD": marks a file as ours in its SQLite header
BUSY_TIMEOUT_MS = 5_000
SQLITE_HEADER = b"SQLite format 3\x00"
MIGRATIONS = Path(__file__).with_name("migrations")


# Tables the ORM does not describe because migrations manage them by hand (FTS5 and the
# shadow tables SQLite makes for it).
UNMAPPED_TABLE_PREFIXES = ("opportunities_fts",)


def is_mapped_name(name: str | None, type_: str, _parent: object = None) -> bool:
    """Alembic ``include_name`` hook: leave hand-managed tables out of autogenerate."""
    return not (type_ == "table" and name is not None and name.startswith(UNMAPPED_TABLE_PREFIXES))


def to_url(path_or_url: str | Path) -> URL:
    """A SQLAlchemy URL from a file path or from a URL given as text."""
    text_value = str(path_or_url)
    if "://" in text_value:
        return make_url(text_value)
    return URL.create("sqlite", database=str(Path(text_value).expanduser().resolve()))


def check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not a SQLite database, or a SQLite database of another program."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as handle:
        header = handle.read(100)
    if not header.startswith(SQLITE_HEADER):
        raise DatabaseOpenError(
            f"“{path.name}” is not a BCM Desktop database (it is not a SQLite file). "
            "Choose another file, or start with a new database."
        )
    if len(header) < 100:
        raise DatabaseOpenError(
            f"“{path.name}” is damaged: the file is truncated. Restore it from a backup."
        )
    application_id = int.from_bytes(header[68:72], "big")
    if application_id not in (0, APPLICATION_ID):
        raise DatabaseOpenError(
            f"“{path.name}” is a SQLite database of another program, not of BCM Desktop."
        )


def read_only_reason(path: Path) -> str | None:
    """Why ``path`` can only be opened read-only, or ``None`` when it can be written.

    SQLite needs to write the file itself and, in WAL mode, to create ``-wal`` and ``-shm``
    files beside it, so a read-only folder makes the database read-only too.
    """
    if not path.exists():
        return None
    if not os.access(path, os.W_OK):
        return "the file is read-only"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return "its folder is read-only"
    return None


def read_only_url(path: Path) -> URL:
    """A URL opening ``path`` read-only.

    ``mode=ro`` works for a WAL database when SQLite can create (or finds) the ``-shm`` and
    ``-wal`` files. In a read-only folder without them it cannot, and ``immutable=1`` is the
    only way in: safe there, because nobody can be writing a WAL beside the file either.
    """
    wal = Path(str(path) + "-wal")
    shm = Path(str(path) + "-shm")
    folder_writable = os.access(path.parent, os.W_OK | os.X_OK)
    immutable = not folder_writable and not (wal.exists() and shm.exists())
    if immutable and wal.exists() and wal.stat().st_size > 0:
        raise DatabaseOpenError(
            f"“{path.name}” cannot be opened: its folder is read-only and it holds changes "
            "that were never written into the file. Open it where the folder can be written."
        )
    query = {"immutable": "1"} if immutable else {"mode": "ro"}
    return URL.create("sqlite", database=path.resolve().as_uri(), query={**query, "uri": "true"})


def _install_sqlite_listeners(engine: Engine, *, read_only: bool = False) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from pysqlite so BEGIN is emitted where SQLAlchemy says.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if not read_only:  # a read-only file keeps the journal mode it has
                cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA synchronous = FULL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        connection.exec_driver_sql(f"BEGIN {mode}")


class Database:
    """An open database: the engine and the session factory the unit of work uses."""

    def __init__(
        self, engine: Engine, *, read_only_reason: str | None = None, path: Path | None = None
    ) -> None:
        self.engine = engine
        self.url = engine.url
        self.session_factory = sessionmaker(bind=engine, expire_on_commit=False)
        # Why the database is open read-only ("the file is read-only"), None when writable.
        self.read_only_reason = read_only_reason
        self._path = path

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def path(self) -> Path | None:
        """The database file, for SQLite; ``None`` for a server database."""
        if self._path is not None:
            return self._path
        if self.is_sqlite and self.url.database and self.url.database != ":memory:":
            return Path(self.url.database)
        return None

    def session(self) -> Session:
        return self.session_factory()

    @contextmanager
    def read_connection(self) -> Iterator[Any]:
        """A connection for list queries: a deferred (read) transaction, always rolled back."""
        with self.engine.connect() as raw_connection:
            connection = (
                raw_connection.execution_options(sqlite_begin="DEFERRED")
                if self.is_sqlite
                else raw_connection
            )
            with connection.begin():
                yield connection

    def backup_to(self, target: Path) -> None:
        """Copy the live database to ``target`` with SQLite's online backup API."""
        if not self.is_sqlite:
            raise DatabaseOpenError("Backups from here work for local database files only.")
        target.parent.mkdir(parents=True, exist_ok=True)
        raw = self.engine.raw_connection()
        try:
            source = raw.driver_connection
            assert isinstance(source, sqlite3.Connection)
            destination = sqlite3.connect(str(target))
            try:
                source.backup(destination)
            finally:
                destination.close()
        finally:
            raw.close()

    def close(self) -> None:
        if self.is_sqlite and not self.read_only:
            try:
                with self.engine.connect() as connection:
                    connection.exec_driver_sql("PRAGMA optimize")
            except OperationalError:
                log.warning("PRAGMA optimize failed on close", exc_info=True)
        self.engine.dispose()


def alembic_config(connection: Any | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def create_database_engine(url: URL, *, read_only: bool = False) -> Engine:
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"check_same_thread": False})
        _install_sqlite_listeners(engine, read_only=read_only)
        return engine
    return create_engine(url, pool_pre_ping=True)


def migrate(database: Database, *, backup_dir: Path | None = None) -> bool:
    """Bring the schema to the newest revision. Returns True when the database was new.

    A database written by a newer program is refused rather than touched; an existing database
    is backed up (online backup, into the database's own backup folder where File → Restore
    lists it as "before-migration") before any migration runs. A read-only database that
    needs a migration is refused: it can be neither backed up beside itself nor changed.
    """
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    with database.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    if current is not None:
        try:
            script.get_revision(current)
        except CommandError as exc:
            raise DatabaseOpenError(
                "This database was made by a newer version of BCM Desktop and cannot be opened "
                "by this one. Install the newer version to open it."
            ) from exc
    if current == head:
        return False
    if database.read_only_reason is not None:
        raise DatabaseOpenError(
            f"The database is read-only because {database.read_only_reason}, and it must be "
            "updated for this version of BCM Desktop before it can be used. Make it writable "
            "and open it again."
        )
    path = database.path
    if current is not None and backup_dir is not None and path is not None:
        BackupSet(path, backup_dir).make("before-migration", datetime.now())
    with database.engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
        if database.is_sqlite and current is None:
            connection.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
    return current is None


def open_database(
    path_or_url: str | Path,
    *,
    backup_dir: Path | None = None,
    quick_check: bool = True,
    read_only: str | None = None,
) -> Database:
    """Open (creating if needed) and migrate a database; raise ``DatabaseOpenError`` clearly.

    ``quick_check`` runs SQLite's ``PRAGMA quick_check`` first (seconds on a database with a
    million records, so the app asks for it after an unclean exit rather than every start).
    A database file that is read-only, or in a read-only folder, is opened read-only
    (``Database.read_only_reason`` says why); ``read_only`` forces that with the given reason.
    """
    url = to_url(path_or_url)
    reason: str | None = None
    path: Path | None = None
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        path = Path(str(url.database))
        check_sqlite_file(path)
        reason = read_only or read_only_reason(path)
        if reason is not None:
            if not path.exists():
                raise DatabaseOpenError(
                    f"“{path.name}” does not exist and cannot be created: {reason}."
                )
            url = read_only_url(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_database_engine(url, read_only=reason is not None)
    database = Database(engine, read_only_reason=reason, path=path)
    try:
        if database.is_sqlite and quick_check:
            with database.read_connection() as connection:
                result = connection.exec_driver_sql("PRAGMA quick_check").scalar()
                if result != "ok":
                    raise DatabaseOpenError(
                        f"The database is damaged ({result}). Restore it from a backup."
                    )
        migrate(database, backup_dir=backup_dir)
    except SADatabaseError as exc:
        engine.dispose()
        raise DatabaseOpenError(
            f"The database could not be opened: {exc.orig}. "
            "Check that the file is a BCM Desktop database and that no other program locks it."
        ) from exc
    except DatabaseOpenError:
        engine.dispose()
        raise
    return database
