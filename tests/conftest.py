"""Shared fixtures: a real SQLite database file per test, services wired as the app wires them."""

from __future__ import annotations

import os

# The suite needs no display: every Qt test renders offscreen. Set before Qt is imported.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bcm_desktop.domain.entities import RecordRef, User
from bcm_desktop.domain.enums import LinkKind
from bcm_desktop.repository.database import Database, open_database
from bcm_desktop.repository.unit_of_work import UnitOfWork, unit_of_work_factory
from bcm_desktop.services.users import ensure_defaults, resolve_current_user

OWNER_LOGIN = "owner"

_EXIT_STATUS = pytest.StashKey[int]()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    session.config.stash[_EXIT_STATUS] = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """End the test process with pytest's own status, once every report is written.

    PySide6 6.12 can crash in the interpreter's final garbage collection after a long Qt run
    ("Fatal Python error: bool_dealloc", a reference-count bug in the bindings, not in this
    program): every test has passed and been reported, yet the process aborts with 134 and
    CI would turn red. Nothing of the program runs at that point, so the final collection is
    skipped. Set BCM_TESTS_FULL_SHUTDOWN=1 to see it happen.
    """
    status = config.stash.get(_EXIT_STATUS, None)
    if status is None or os.environ.get("BCM_TESTS_FULL_SHUTDOWN") == "1":
        return
    import sys

    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "bcm.sqlite"


@pytest.fixture
def database(db_path: Path) -> Iterator[Database]:
    db = open_database(db_path)
    yield db
    db.close()


@pytest.fixture
def uow_factory(database: Database) -> Callable[[], UnitOfWork]:
    factory = unit_of_work_factory(database)
    ensure_defaults(factory, OWNER_LOGIN, "Olivia Owner")
    return factory


@pytest.fixture
def owner(uow_factory: Callable[[], UnitOfWork]) -> User:
    return resolve_current_user(uow_factory, OWNER_LOGIN)


@pytest.fixture
def account(uow_factory: Callable[[], UnitOfWork]) -> RecordRef:
    with uow_factory() as uow:
        account_id = uow.records.add_account("Bakkerij de Vries", city="Utrecht")
        uow.commit()
    return RecordRef(LinkKind.ACCOUNT, account_id)


@pytest.fixture
def contact(uow_factory: Callable[[], UnitOfWork], account: RecordRef) -> RecordRef:
    with uow_factory() as uow:
        contact_id = uow.records.add_contact("Anna", "Jansen", account_id=account.id)
        uow.commit()
    return RecordRef(LinkKind.CONTACT, contact_id)
