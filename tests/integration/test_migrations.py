"""Opening databases: schema at head matches the ORM, wrong or too-new files are left alone."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from bcm_desktop.domain.errors import DatabaseOpenError
from bcm_desktop.repository.database import (
    APPLICATION_ID,
    Database,
    alembic_config,
    is_mapped_name,
    open_database,
)
from bcm_desktop.repository.orm import Base


@pytest.fixture
def opened(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "x.sqlite")
    yield database
    database.close()


def snapshot(path: Path) -> tuple[bytes, list[str]]:
    """The file's bytes and the names of the files beside it (no -wal/-shm left behind)."""
    return path.read_bytes(), sorted(p.name for p in path.parent.iterdir())


def test_new_database_at_head_matches_the_orm(opened: Database) -> None:
    with opened.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "render_as_batch": True,
                "include_name": is_mapped_name,
            },
        )
        diff = compare_metadata(context, Base.metadata)
    assert diff == [], "Schema differs from orm.py; write a migration:\n" + "\n".join(
        map(repr, diff)
    )


def test_database_of_a_newer_program_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite"
    open_database(path).close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffff'")
        connection.execute("CREATE TABLE from_the_future (id INTEGER PRIMARY KEY)")
    connection.close()
    before = snapshot(path)
    backups = tmp_path / "backups"

    with pytest.raises(DatabaseOpenError, match=r"newer version"):
        open_database(path, backup_dir=backups)

    assert snapshot(path) == before
    assert not backups.exists(), "no backup or migration may start on a refused database"
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [
            ("ffff",)
        ]
    connection.close()


def test_text_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("Call Anna about the Utrecht bakery order.\n", encoding="utf-8")
    before = snapshot(path)

    with pytest.raises(DatabaseOpenError, match=r"not a BCM Desktop database"):
        open_database(path)

    assert snapshot(path) == before


def test_opening_twice_runs_no_second_migration_and_keeps_the_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "twice.sqlite"
    backups = tmp_path / "backups"
    first = open_database(path, backup_dir=backups)
    with first.engine.begin() as connection:
        connection.execute(text("INSERT INTO settings (key, value) VALUES ('reminders', 'on')"))
    first.close()

    def no_upgrade(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a database at head was migrated again")

    monkeypatch.setattr(command, "upgrade", no_upgrade)
    second = open_database(path, backup_dir=backups)
    try:
        with second.read_connection() as connection:
            value = connection.execute(text("SELECT value FROM settings WHERE key = 'reminders'"))
            assert value.scalar_one() == "on"
            revision = MigrationContext.configure(connection).get_current_revision()
    finally:
        second.close()
    assert revision is not None
    assert not backups.exists(), "a database already at head needs no backup"


def test_engine_connections_have_the_pragmas(opened: Database) -> None:
    # Two pool connections open at once: the pragmas are set on every new connection.
    first, second = opened.engine.raw_connection(), opened.engine.raw_connection()
    try:
        for connection in (first, second):
            cursor = connection.cursor()

            def pragma(name: str, cursor: Any = cursor) -> Any:
                return cursor.execute(f"PRAGMA {name}").fetchone()[0]

            assert pragma("foreign_keys") == 1
            assert pragma("journal_mode") == "wal"
            assert pragma("synchronous") == 2  # FULL
            assert pragma("busy_timeout") > 0
            assert pragma("application_id") == APPLICATION_ID
            cursor.close()
    finally:
        first.close()
        second.close()


def test_reminder_states_migration_upgrades_from_0005_and_downgrades_again(
    opened: Database,
) -> None:
    def names(connection: Any) -> tuple[set[str], set[str]]:
        rows = connection.execute(text("SELECT type, name FROM sqlite_master")).fetchall()
        return (
            {name for kind, name in rows if kind == "table"},
            {name for kind, name in rows if kind == "index"},
        )

    new_indexes = {
        "ix_opportunities_reminder_due",
        "ix_opportunities_open_stage_entered",
        "ix_history_items_task_reminder_due",
        "ix_opportunity_activities_opportunity_id_stage_activity_id",
    }
    with opened.engine.begin() as connection:
        tables, indexes = names(connection)
        assert "reminder_states" in tables and new_indexes <= indexes
        command.downgrade(alembic_config(connection), "0005")
        tables, indexes = names(connection)
        assert "reminder_states" not in tables and not new_indexes & indexes
        command.upgrade(alembic_config(connection), "head")
        tables, indexes = names(connection)
        assert "reminder_states" in tables and new_indexes <= indexes
        assert MigrationContext.configure(connection).get_current_revision() == "0006"
