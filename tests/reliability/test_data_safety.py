"""Read-only files, a locked database, a full disk and a past expiration date are refused with a
readable domain error and leave the database as it was (issue #8, data safety)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import event

from bcm_desktop.domain.entities import Opportunity, RecordRef
from bcm_desktop.domain.enums import LinkKind
from bcm_desktop.domain.errors import (
    DatabaseBusyError,
    DatabaseOpenError,
    DiskFullError,
    DomainError,
    ReadOnlyDatabaseError,
    ValidationError,
)
from bcm_desktop.repository import database as database_module
from bcm_desktop.repository.backup import BackupSet
from bcm_desktop.repository.database import (
    Database,
    alembic_config,
    create_database_engine,
    open_database,
    to_url,
)
from bcm_desktop.repository.unit_of_work import UnitOfWork, unit_of_work_factory
from bcm_desktop.services.opportunities import OpportunityService
from bcm_desktop.services.users import ensure_defaults, resolve_current_user

TODAY = date(2026, 11, 28)
TABLES = ("opportunities", "opportunity_lines", "stage_history", "accounts", "users")


def rows(db_path: Path) -> list[tuple[Any, ...]]:
    """Every row of the tables a save touches, read on a connection of its own."""
    with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as connection:
        found: list[tuple[Any, ...]] = []
        for table in TABLES:
            found += connection.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
        return found


@pytest.fixture
def saved_path(tmp_path: Path) -> Path:
    """A closed database file holding one account and one opportunity."""
    path = tmp_path / "shop.sqlite"
    database = open_database(path)
    factory = unit_of_work_factory(database)
    ensure_defaults(factory, "owner")
    with factory() as uow:
        account_id = uow.records.add_account("Bakkerij de Vries")
        uow.commit()
    user = resolve_current_user(factory, "owner")
    OpportunityService(factory, user.id).create(
        Opportunity(title="Ovens", link=RecordRef(LinkKind.ACCOUNT, account_id))
    )
    database.close()
    return path


def _services(database: Database) -> tuple[OpportunityService, Callable[[], UnitOfWork]]:
    factory = unit_of_work_factory(database)
    user = resolve_current_user(factory, "owner")
    return OpportunityService(factory, user.id, today=lambda: TODAY), factory


def _edit_first(service: OpportunityService) -> None:
    opp = service.get(1)
    opp.title = "Ovens and mixers"
    service.update(opp)


# -- read-only files and folders --------------------------------------------------------------


def _pretend_read_only(monkeypatch: pytest.MonkeyPatch, read_only: Path) -> None:
    """``os.access`` says ``read_only`` cannot be written (chmod means nothing to root)."""
    real_access = os.access

    def access(path: Any, mode: int, **kwargs: Any) -> bool:
        if Path(path) == read_only and mode & os.W_OK:
            return False
        return real_access(path, mode, **kwargs)

    monkeypatch.setattr(database_module.os, "access", access)


READ_ONLY_CASES = [
    ("read-only file", lambda path: path, "the file is read-only"),
    ("read-only folder", lambda path: path.parent, "its folder is read-only"),
]


@pytest.mark.parametrize(
    ("case", "which", "reason"), READ_ONLY_CASES, ids=[c[0] for c in READ_ONLY_CASES]
)
def test_a_read_only_file_or_folder_opens_read_only_and_refuses_saves(
    saved_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    case: str,
    which: Callable[[Path], Path],
    reason: str,
) -> None:
    backups = saved_path.parent / "backups"
    _pretend_read_only(monkeypatch, which(saved_path))
    before = rows(saved_path)
    database = open_database(saved_path, backup_dir=backups)
    try:
        assert database.read_only_reason == reason
        service, _factory = _services(database)
        assert service.get(1).title == "Ovens"  # reading works
        with pytest.raises(ReadOnlyDatabaseError, match=r"read-only.*Nothing was saved"):
            _edit_first(service)
    finally:
        database.close()
    assert rows(saved_path) == before
    assert not backups.exists(), "no backup is made of a read-only database"


def test_a_read_only_folder_without_wal_files_opens_immutable(
    saved_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pretend_read_only(monkeypatch, saved_path.parent)
    for suffix in ("-wal", "-shm"):
        Path(f"{saved_path}{suffix}").unlink(missing_ok=True)
    database = open_database(saved_path)
    try:
        assert database.url.query.get("immutable") == "1"
        assert _services(database)[0].get(1).title == "Ovens"
    finally:
        database.close()
    assert not Path(f"{saved_path}-wal").exists(), "nothing may be written beside the file"


def test_a_read_only_database_that_needs_a_migration_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    engine = create_database_engine(to_url(path))
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
    engine.dispose()
    before = path.read_bytes()
    backups = tmp_path / "backups"
    with pytest.raises(DatabaseOpenError, match=r"read-only.*must be updated"):
        open_database(path, backup_dir=backups, read_only="the file is read-only")
    assert path.read_bytes() == before
    assert not backups.exists()


def test_a_migration_is_preceded_by_a_backup_in_the_databases_own_folder(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    engine = create_database_engine(to_url(path))
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
    engine.dispose()
    backups = tmp_path / "backups"
    open_database(path, backup_dir=backups).close()
    listed = BackupSet(path, backups).all()
    assert [info.kind for info in listed] == ["before-migration"]
    assert listed[0].healthy
    assert listed[0].path.parent == BackupSet(path, backups).folder


# -- a database locked by another program, a full disk -----------------------------------------


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 200)


def _locked_by_another_program(path: Path) -> Iterator[None]:
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def _disk_full(database: Database) -> Iterator[None]:
    """Every new connection may not grow the file by a single page: SQLITE_FULL on growth."""

    def limit(dbapi_connection: Any, _record: Any) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    database.engine.dispose()
    event.listen(database.engine, "connect", limit)
    yield
    event.remove(database.engine, "connect", limit)
    database.engine.dispose()


def _save_a_large_opportunity(
    service: OpportunityService, factory: Callable[[], UnitOfWork]
) -> None:
    opp = service.get(1)
    opp.comments = "Delivery notes. " * 20_000  # needs new pages
    service.update(opp)


FAILURES: list[tuple[str, Any, type[DomainError], str]] = [
    (
        "locked by another program",
        lambda path, _db: _locked_by_another_program(path),
        DatabaseBusyError,
        "The database is busy: another program is writing to it. Try again in a moment.",
    ),
    ("disk full", lambda _path, db: _disk_full(db), DiskFullError, "The disk is full"),
]


@pytest.mark.usefixtures("short_busy_timeout")
@pytest.mark.parametrize(
    ("case", "condition", "error", "message"), FAILURES, ids=[c[0] for c in FAILURES]
)
def test_a_save_under_a_failing_database_is_refused_clearly_and_changes_nothing(
    saved_path: Path,
    case: str,
    condition: Callable[[Path, Database], Iterator[None]],
    error: type[DomainError],
    message: str,
) -> None:
    database = open_database(saved_path)
    try:
        service, factory = _services(database)
        before = rows(saved_path)
        steps = condition(saved_path, database)
        next(steps)
        try:
            with pytest.raises(error) as raised:
                _save_a_large_opportunity(service, factory)
            assert message in raised.value.message
            assert "Nothing was saved" in raised.value.message
        finally:
            next(steps, None)
        assert rows(saved_path) == before
        # The program keeps running: the same save works once the condition is gone.
        _save_a_large_opportunity(service, factory)
        assert service.get(1).comments.startswith("Delivery notes.")
    finally:
        database.close()


# -- bad input: the expiration date of the offer -----------------------------------------------


def test_a_past_expiration_date_is_refused_when_set_but_does_not_block_other_edits(
    saved_path: Path,
) -> None:
    database = open_database(saved_path)
    try:
        service, factory = _services(database)
        account = service.get(1).link
        yesterday = TODAY - timedelta(days=1)
        before = rows(saved_path)
        with pytest.raises(ValidationError, match="cannot be before today") as raised:
            service.create(Opportunity(title="Late", link=account, expiration_date=yesterday))
        assert raised.value.field == "expiration_date"
        opp = service.get(1)
        opp.expiration_date = yesterday
        with pytest.raises(ValidationError, match="cannot be before today") as raised:
            service.update(opp)
        assert raised.value.field == "expiration_date"
        assert rows(saved_path) == before

        # Today is allowed; once the offer has expired, other edits still save.
        opp = service.get(1)
        opp.expiration_date = TODAY
        service.update(opp)
        later = OpportunityService(
            factory, service.user_id, today=lambda: TODAY + timedelta(days=30)
        )
        expired = later.get(1)
        expired.title = "Ovens (expired offer)"
        assert later.update(expired).expiration_date == TODAY
    finally:
        database.close()
