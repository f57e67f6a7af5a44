"""Defects found in the Deleted Items folder, driven like a user; the database is read back."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QToolButton

from bcm_desktop.app import build_main_window
from bcm_desktop.domain.entities import RecordRef, User
from bcm_desktop.domain.projects import BusinessProject
from bcm_desktop.repository.database import Database
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.projects import ProjectService
from bcm_desktop.ui.main_window import DELETED_ITEMS, MainWindow
from tests.conftest import OWNER_LOGIN


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every question is answered Yes; what it said is kept."""
    questions: list[str] = []

    def question(_parent: Any, _title: str, text: str, *_a: Any, **_k: Any) -> Any:
        questions.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    return questions


@pytest.fixture
def window(qtbot: Any, settings: QSettings, database: Database) -> Iterator[MainWindow]:
    made = build_main_window(database, OWNER_LOGIN, settings=settings)
    made.resize(1150, 620)
    qtbot.addWidget(made, before_close_func=lambda w: w.wait_for_workers())
    made.show()
    qtbot.waitExposed(made)
    yield made


def button_for(window: MainWindow, action: QAction) -> QToolButton:
    return next(b for b in window.ribbon.findChildren(QToolButton) if b.defaultAction() is action)


def click_folder(qtbot: Any, window: MainWindow, key: str) -> None:
    folders = window.navigation.folders
    rect = folders.visualItemRect(window.navigation.item(key))
    qtbot.mouseClick(folders.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def deleted_count(db_path: Path) -> int:
    with closing(sqlite3.connect(db_path)) as connection:
        return int(connection.execute("SELECT count(*) FROM deleted_items").fetchone()[0])


def test_empty_with_a_search_typed_says_how_many_it_really_deletes(
    qtbot: Any,
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    account: RecordRef,
    db_path: Path,
    window: MainWindow,
    asked: list[str],
) -> None:
    """With a search typed, Empty Deleted Items asked "Permanently delete all 1 items?" and
    then deleted all three: the count came from the filtered list, the purge was of all."""
    projects = ProjectService(uow_factory, owner.id)
    for name in ("Alpha fit-out", "Beta move", "Gamma audit"):
        project = projects.create(BusinessProject(name, account))
        projects.delete(project.id or 0, project.version)
    click_folder(qtbot, window, DELETED_ITEMS)
    workspace = window.deleted_items
    qtbot.waitUntil(lambda: workspace.list.model.rowCount() == 3, timeout=5_000)
    qtbot.keyClicks(workspace.list.search, "Gamma")
    workspace.list.flush_search()
    qtbot.waitUntil(lambda: workspace.list.model.rowCount() == 1, timeout=5_000)

    qtbot.mouseClick(button_for(window, workspace.empty_action), Qt.MouseButton.LeftButton)
    assert "all 3 items" in asked[-1]
    assert deleted_count(db_path) == 0


def test_restoring_some_of_the_selection_says_what_came_back_and_why_the_rest_did_not(
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    account: RecordRef,
    db_path: Path,
    window: MainWindow,
) -> None:
    """Restoring a project and a task of another, still deleted project said "1 items were
    restored."."""
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a, **k: told.append(text))
    projects = ProjectService(uow_factory, owner.id)
    kept = projects.create(BusinessProject("Alpha fit-out", account))
    gone = projects.create(BusinessProject("Beta move", account))
    task = projects.add_task(replace(projects.new_task(gone.id or 0), subject="Pack boxes"))
    projects.delete_task(task.id or 0, task.version)
    projects.delete(gone.id or 0, projects.get(gone.id or 0).version)
    projects.delete(kept.id or 0, projects.get(kept.id or 0).version)
    click_folder(qtbot, window, DELETED_ITEMS)
    workspace = window.deleted_items
    qtbot.waitUntil(lambda: workspace.list.model.rowCount() == 3, timeout=5_000)
    model = workspace.list.model
    wanted = {"Alpha fit-out", "Pack boxes"}
    for row in range(model.rowCount()):
        if model.index(row, 1).data() in wanted:
            workspace.list.view.selectionModel().select(
                model.index(row, 0),
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
            )
    workspace.restore_action.trigger()
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    assert told[0].startswith("1 item was restored.")
    assert "Pack boxes" in told[0]
    with closing(sqlite3.connect(db_path)) as connection:
        names = [row[0] for row in connection.execute("SELECT name FROM business_projects")]
    assert names == ["Alpha fit-out"]
