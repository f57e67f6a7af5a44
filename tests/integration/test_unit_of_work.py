"""The unit of work keeps nothing without commit() and rolls back on an exception."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from bcm_desktop.repository.unit_of_work import UnitOfWork


def account_names(db_path: Path) -> list[str]:
    with sqlite3.connect(db_path) as connection:
        return [name for (name,) in connection.execute("SELECT name FROM accounts ORDER BY id")]


def test_no_commit_means_nothing_saved(
    uow_factory: Callable[[], UnitOfWork], db_path: Path
) -> None:
    with uow_factory() as uow:
        uow.records.add_account("Never saved")
    assert account_names(db_path) == []


def test_exception_rolls_back(uow_factory: Callable[[], UnitOfWork], db_path: Path) -> None:
    with pytest.raises(RuntimeError), uow_factory() as uow:
        uow.records.add_account("Half done")
        uow.flush()
        raise RuntimeError("boom")
    assert account_names(db_path) == []


def test_commit_saves(uow_factory: Callable[[], UnitOfWork], db_path: Path) -> None:
    with uow_factory() as uow:
        uow.records.add_account("Saved")
        uow.commit()
    assert account_names(db_path) == ["Saved"]
