"""The maintenance service without Qt: backups on request, the list, restore and the check."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bcm_desktop.domain.entities import Opportunity, RecordRef, User
from bcm_desktop.repository.backup import kind_of
from bcm_desktop.repository.database import Database
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.maintenance import MaintenanceError, MaintenanceService
from bcm_desktop.services.opportunities import OpportunityService

NOW = datetime(2026, 11, 28, 9, 0)


def titles(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [t for (t,) in connection.execute("SELECT title FROM opportunities ORDER BY id")]
    finally:
        connection.close()


@pytest.fixture
def filled(
    database: Database, uow_factory: Callable[[], UnitOfWork], owner: User, account: RecordRef
) -> OpportunityService:
    service = OpportunityService(uow_factory, owner.id)
    for index in range(12):
        service.create(Opportunity(title=f"Deal {index}", link=account))
    return service


@pytest.fixture
def maintenance(db_path: Path, tmp_path: Path) -> MaintenanceService:
    return MaintenanceService(db_path, tmp_path / "backups")


def test_back_up_to_copies_the_live_database_with_progress(
    filled: OpportunityService, maintenance: MaintenanceService, db_path: Path, tmp_path: Path
) -> None:
    steps: list[tuple[int, int]] = []
    target = tmp_path / "out" / "copy.sqlite"
    size = maintenance.back_up_to(target, lambda done, total: steps.append((done, total)))
    assert size == target.stat().st_size > 0
    assert titles(target) == titles(db_path) and len(titles(target)) == 12
    assert steps and steps[-1][0] == steps[-1][1] > 0
    assert MaintenanceService(target, tmp_path / "other").check().healthy


def test_a_backup_never_replaces_its_own_database(
    filled: OpportunityService, maintenance: MaintenanceService, db_path: Path
) -> None:
    with pytest.raises(MaintenanceError):
        maintenance.back_up_to(db_path)


def test_check_counts_the_records_of_a_healthy_database(
    filled: OpportunityService, maintenance: MaintenanceService
) -> None:
    report = maintenance.check()
    assert report.healthy and report.problems == []
    assert (report.opportunities, report.accounts, report.contacts) == (12, 1, 0)


def test_check_reports_a_damaged_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"SQLite format 3\x00" + b"\xee" * 5000)
    report = MaintenanceService(broken, tmp_path / "backups").check()
    assert not report.healthy and report.problems


def test_restore_puts_the_backup_back_and_keeps_the_current_file(
    filled: OpportunityService,
    maintenance: MaintenanceService,
    database: Database,
    db_path: Path,
    account: RecordRef,
) -> None:
    made = maintenance.backups.make("manual", NOW)
    filled.create(Opportunity(title="After the backup", link=account))
    database.close()
    kept = maintenance.restore(made, NOW + timedelta(minutes=1))
    assert "After the backup" not in titles(db_path)
    assert kept is not None and "After the backup" in titles(kept)
    entries = maintenance.backups_list()
    assert [entry.kind for entry in entries] == ["before-restore", "manual"]
    assert all(entry.healthy for entry in entries)
    assert entries[0].opportunities == 13 and entries[1].opportunities == 12
    assert entries[1].accounts == 1


def test_restore_of_a_missing_backup_leaves_the_database_as_it_was(
    filled: OpportunityService, maintenance: MaintenanceService, database: Database, db_path: Path
) -> None:
    database.close()
    before = titles(db_path)
    with pytest.raises(MaintenanceError):
        maintenance.restore(db_path.with_name("nowhere.sqlite"), NOW)
    assert titles(db_path) == before


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("daily-20261128.sqlite", "daily"),
        ("weekly-2026W48.sqlite", "weekly"),
        ("manual-20261128-090000.sqlite", "manual"),
        ("before-restore-20261128-090000.sqlite", "before-restore"),
        ("before-restore-20261128-090000-raw.sqlite", "before-restore"),
    ],
)
def test_kind_is_read_from_the_file_name(name: str, kind: str) -> None:
    assert kind_of(Path(name)) == kind
