"""Deleted Items and read-only databases, driven like a user: delete in Sales, open Deleted
Items, Restore with clicks; a read-only database offers no command that would write."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMessageBox, QToolButton

from bcm_desktop.app import AppController, build_main_window
from bcm_desktop.domain.entities import Opportunity, RecordRef, User
from bcm_desktop.repository.database import Database, open_database
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.opportunities import OpportunityService
from bcm_desktop.ui.main_window import CONTACTS, DELETED_ITEMS, MainWindow
from tests.conftest import OWNER_LOGIN

TITLES = ["New tills for the bakery", "Website redesign", "Coffee machines"]


@pytest.fixture
def ids(uow_factory: Callable[[], UnitOfWork], owner: User, account: RecordRef) -> list[int]:
    service = OpportunityService(uow_factory, owner.id)
    return [service.create(Opportunity(title=t, link=account)).id or 0 for t in TITLES]


@pytest.fixture
def answer_yes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    asked: list[str] = []

    def question(_parent: Any, _title: str, text: str, *_a: Any, **_k: Any) -> Any:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


@pytest.fixture
def make_window(qtbot: Any, settings: QSettings) -> Iterator[Callable[[Database], MainWindow]]:
    def make(database: Database, login: str = OWNER_LOGIN) -> MainWindow:
        window = build_main_window(database, login, settings=settings)
        window.sales.setMinimumWidth(320)
        window.resize(1100, 600)
        qtbot.addWidget(window, before_close_func=lambda w: w.wait_for_workers())
        window.show()
        qtbot.waitExposed(window)
        return window

    yield make


def opportunity_titles(db_path: Path) -> list[str]:
    with closing(sqlite3.connect(db_path)) as connection:
        return [row[0] for row in connection.execute("SELECT title FROM opportunities ORDER BY id")]


def button_for(window: MainWindow, action: QAction) -> QToolButton:
    return next(b for b in window.ribbon.findChildren(QToolButton) if b.defaultAction() is action)


def click_folder(qtbot: Any, window: MainWindow, key: str) -> None:
    folders = window.navigation.folders
    rect = folders.visualItemRect(window.navigation.item(key))
    qtbot.mouseClick(folders.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def click_row(qtbot: Any, view: Any, row: int) -> None:
    qtbot.waitUntil(lambda: view.model().rowCount() > row, timeout=5_000)
    rect = view.visualRect(view.model().index(row, 1))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_delete_in_sales_then_restore_from_deleted_items_with_clicks(
    qtbot: Any,
    qtmodeltester: Any,
    database: Database,
    ids: list[int],
    db_path: Path,
    answer_yes: list[str],
    make_window: Callable[[Database], MainWindow],
) -> None:
    window = make_window(database)
    sales = window.sales
    row = next(r for r in range(sales.model.rowCount()) if sales.model.id_at(r) == ids[1])
    click_row(qtbot, sales.view, row)
    qtbot.mouseClick(button_for(window, sales.delete_action), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not sales._tasks, timeout=10_000)
    assert "moved to Deleted Items" in answer_yes[0]
    assert opportunity_titles(db_path) == [TITLES[0], TITLES[2]]

    click_folder(qtbot, window, DELETED_ITEMS)
    workspace = window.deleted_items
    assert window.stack.currentWidget() is workspace
    table = workspace.list.view
    qtbot.waitUntil(lambda: table.model().rowCount() == 1, timeout=5_000)
    model = workspace.list.model
    assert model.index(0, 0).data() == "Opportunity"
    assert model.index(0, 1).data() == "Website redesign"
    assert model.index(0, 3).data() == "Olivia Owner"
    assert model.index(0, 4).data() == ""
    qtmodeltester.check(model)
    assert window.status_label.text() == "1 deleted item"
    restore_button = button_for(window, workspace.restore_action)
    assert not restore_button.isHidden() and not restore_button.isEnabled()

    click_row(qtbot, table, 0)
    assert restore_button.isEnabled()
    window.grab().save("/tmp/deleted-items.png")
    qtbot.mouseClick(restore_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: not workspace._tasks, timeout=10_000)
    assert opportunity_titles(db_path) == TITLES
    qtbot.waitUntil(lambda: table.model().rowCount() == 0, timeout=5_000)
    click_folder(qtbot, window, "sales")
    qtbot.waitUntil(lambda: sales.model.rowCount() == 3, timeout=5_000)


def test_an_account_deleted_in_contact_management_is_restored_from_deleted_items(
    qtbot: Any,
    qtmodeltester: Any,
    database: Database,
    account: RecordRef,
    ids: list[int],
    db_path: Path,
    answer_yes: list[str],
    make_window: Callable[[Database], MainWindow],
) -> None:
    window = make_window(database)
    click_folder(qtbot, window, CONTACTS)
    contacts = window.contact_management
    accounts = contacts.accounts
    qtbot.waitUntil(lambda: accounts.model.rowCount() == 1, timeout=5_000)
    click_row(qtbot, accounts.view, 0)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    accounts.view.setFocus()
    qtbot.keyClick(accounts.view, Qt.Key.Key_Delete)

    assert "3 opportunity(ies)" in answer_yes[-1]
    assert "It goes to Deleted Items" in answer_yes[-1]
    assert opportunity_titles(db_path) == []
    qtbot.waitUntil(lambda: accounts.model.rowCount() == 0, timeout=5_000)

    click_folder(qtbot, window, DELETED_ITEMS)
    workspace = window.deleted_items
    table = workspace.list.view
    qtbot.waitUntil(lambda: table.model().rowCount() == 1, timeout=5_000)
    model = workspace.list.model
    assert [model.index(0, column).data() for column in (0, 1, 4)] == [
        "Account",
        "Bakkerij de Vries",
        "3 opportunities",
    ]
    qtmodeltester.check(model)
    click_row(qtbot, table, 0)
    window.grab().save("/tmp/deleted-records-account.png")
    qtbot.mouseClick(button_for(window, workspace.restore_action), Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: not workspace._tasks, timeout=10_000)
    qtbot.waitUntil(lambda: table.model().rowCount() == 0, timeout=5_000)
    assert opportunity_titles(db_path) == TITLES
    click_folder(qtbot, window, CONTACTS)
    qtbot.waitUntil(lambda: accounts.model.rowCount() == 1, timeout=5_000)
    assert accounts.model.index(0, 0).data() == "Bakkerij de Vries"
    assert accounts.model.id_at(0) == account.id


def test_only_the_owner_may_delete_permanently_and_empty_after_confirming(
    qtbot: Any,
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    database: Database,
    ids: list[int],
    db_path: Path,
    answer_yes: list[str],
    make_window: Callable[[Database], MainWindow],
) -> None:
    service = OpportunityService(uow_factory, owner.id)
    for opportunity_id in ids:
        service.delete(opportunity_id, service.get(opportunity_id).version)
    with uow_factory() as uow:
        uow.users.add("Chris Colleague", "chris")
        uow.commit()

    theirs = make_window(database, "chris")
    click_folder(qtbot, theirs, DELETED_ITEMS)
    click_row(qtbot, theirs.deleted_items.list.view, 0)
    assert theirs.deleted_items.restore_action.isEnabled()
    assert not theirs.deleted_items.delete_action.isEnabled()
    assert not theirs.deleted_items.empty_action.isEnabled()
    theirs.close()

    window = make_window(database)
    click_folder(qtbot, window, DELETED_ITEMS)
    workspace = window.deleted_items
    click_row(qtbot, workspace.list.view, 0)
    qtbot.mouseClick(button_for(window, workspace.delete_action), Qt.MouseButton.LeftButton)
    assert "permanently" in answer_yes[-1]
    qtbot.waitUntil(lambda: workspace.list.model.rowCount() == 2, timeout=5_000)
    qtbot.mouseClick(button_for(window, workspace.empty_action), Qt.MouseButton.LeftButton)
    assert "all 2 items" in answer_yes[-1]
    qtbot.waitUntil(lambda: workspace.list.model.rowCount() == 0, timeout=5_000)
    with closing(sqlite3.connect(db_path)) as connection:
        assert connection.execute("SELECT count(*) FROM deleted_items").fetchone() == (0,)
    assert opportunity_titles(db_path) == []


def test_a_read_only_database_shows_read_only_and_offers_nothing_that_writes(
    qtbot: Any,
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    database: Database,
    ids: list[int],
    db_path: Path,
    make_window: Callable[[Database], MainWindow],
) -> None:
    service = OpportunityService(uow_factory, owner.id)
    service.delete(ids[2], service.get(ids[2]).version)
    database.close()
    read_only = open_database(db_path, read_only="the file is read-only")
    try:
        window = make_window(read_only)
        assert "Read-only" in window.windowTitle()
        label = window.findChild(QLabel, "readOnlyStatus")
        assert label is not None and label.text() == "Read-only"
        assert "the file is read-only" in label.toolTip()
        for action in (
            window.new_opportunity_action,
            window.catalog_action,
            window.stages_action,
            window.restore_action,
            window.projects.new_project_action,
            window.projects.templates_action,
        ):
            assert not action.isEnabled(), action.objectName()
        sales = window.sales
        click_row(qtbot, sales.view, 0)
        for action in sales.bulk_actions():
            assert not action.isEnabled(), action.objectName()
        window.grab().save("/tmp/read-only.png")

        assert window.form_manager is not None
        form = window.form_manager.open_opportunity(ids[0])
        assert form is not None
        qtbot.addWidget(form)
        assert not form.save_action.isEnabled()
        assert not form.save_close_action.isEnabled()
        assert not form.delete_action.isEnabled()
        assert not form.title_edit.isEnabled()
        assert "read-only" in form.banner.text()
        form.grab().save("/tmp/read-only-form.png")
        form.close()

        click_folder(qtbot, window, DELETED_ITEMS)
        click_row(qtbot, window.deleted_items.list.view, 0)
        assert not window.deleted_items.restore_action.isEnabled()
        assert not window.deleted_items.empty_action.isEnabled()
    finally:
        read_only.close()


def test_opening_a_read_only_file_says_so_once(
    qtbot: Any, tmp_path: Path, settings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "shared.sqlite"
    controller = AppController(settings, OWNER_LOGIN)
    assert controller.start(path)
    controller.shut_down()
    told: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "information", lambda _parent, _title, text, *a, **k: told.append(text)
    )
    monkeypatch.setattr(
        "bcm_desktop.repository.database.read_only_reason", lambda _path: "the file is read-only"
    )
    controller = AppController(settings, OWNER_LOGIN)
    try:
        assert controller.start(path)
        assert controller._backup_thread is None, "no backup of a read-only database"
        assert told == [
            "“shared.sqlite” was opened read-only because the file is read-only; changes "
            "cannot be saved. You can read, search and print, and back it up elsewhere."
        ]
    finally:
        controller.shut_down()
