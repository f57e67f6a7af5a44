"""Deleted Items for history items, projects, tasks and marketing activities, driven like a
user: delete a history item on an open opportunity's History page, restore it from the
Deleted Items folder, and see it back on the page that is still open."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QToolButton

from bcm_desktop.app import build_main_window
from bcm_desktop.domain.entities import HistoryItem, Opportunity, RecordRef, User
from bcm_desktop.domain.enums import CallDirection, HistoryKind
from bcm_desktop.domain.marketing import MarketingActivity
from bcm_desktop.domain.projects import BusinessProject
from bcm_desktop.repository.database import Database
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.history import HistoryService
from bcm_desktop.services.marketing import MarketingService
from bcm_desktop.services.opportunities import OpportunityService
from bcm_desktop.services.projects import ProjectService
from bcm_desktop.ui.main_window import DELETED_ITEMS, MainWindow
from tests.conftest import OWNER_LOGIN


@pytest.fixture
def answer_yes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    asked: list[str] = []

    def question(_parent: Any, _title: str, text: str, *_a: Any, **_k: Any) -> Any:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


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


def click_row(qtbot: Any, view: Any, row: int, column: int = 1) -> None:
    qtbot.waitUntil(lambda: view.model().rowCount() > row, timeout=5_000)
    rect = view.visualRect(view.model().index(row, column))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def history_subjects(db_path: Path) -> list[str]:
    with closing(sqlite3.connect(db_path)) as connection:
        query = "SELECT subject FROM history_items ORDER BY id"
        return [row[0] for row in connection.execute(query)]


def test_a_history_item_deleted_on_the_history_page_comes_back_there_after_restore(
    qtbot: Any,
    qtmodeltester: Any,
    window: MainWindow,
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    account: RecordRef,
    db_path: Path,
    answer_yes: list[str],
) -> None:
    opportunity = OpportunityService(uow_factory, owner.id).create(
        Opportunity(title="New ovens", link=account)
    )
    history = HistoryService(uow_factory, owner.id)
    when = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    for subject, minutes in (("Asked for a quote", 5), ("Sent the brochure", 0)):
        history.create(
            HistoryItem(
                HistoryKind.PHONE_LOG,
                subject,
                occurred_at=when.replace(minute=minutes),
                direction=CallDirection.OUTGOING,
                opportunity_id=opportunity.id,
            )
        )
    assert window.form_manager is not None
    form = window.form_manager.open_opportunity(opportunity.id or 0)
    assert form is not None
    qtbot.waitExposed(form)
    form.tabs.setCurrentWidget(form.history_page)
    page = form.history_page
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=5_000)
    row = next(r for r in range(2) if page.model.index(r, 2).data() == "Asked for a quote")
    click_row(qtbot, page.view, row, 2)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)

    assert "goes to Deleted Items" in answer_yes[-1]
    assert "cannot be undone" not in answer_yes[-1]
    assert [page.model.index(r, 2).data() for r in range(page.model.rowCount())] == [
        "Sent the brochure"
    ]
    assert history_subjects(db_path) == ["Sent the brochure"]

    window.activateWindow()
    click_folder(qtbot, window, DELETED_ITEMS)
    workspace = window.deleted_items
    model = workspace.list.model
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=5_000)
    assert [model.index(0, column).data() for column in (0, 1, 4)] == [
        "Phone log",
        "Asked for a quote",
        "",
    ]
    qtmodeltester.check(model)
    click_row(qtbot, workspace.list.view, 0)
    qtbot.mouseClick(button_for(window, workspace.restore_action), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not workspace._tasks, timeout=10_000)

    assert sorted(history_subjects(db_path)) == ["Asked for a quote", "Sent the brochure"]
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=5_000)
    assert {page.model.index(r, 2).data() for r in range(2)} == {
        "Asked for a quote",
        "Sent the brochure",
    }
    assert model.rowCount() == 0


def test_deleted_items_lists_every_kind_with_what_went_with_it(
    qtbot: Any,
    qtmodeltester: Any,
    window: MainWindow,
    uow_factory: Callable[[], UnitOfWork],
    owner: User,
    account: RecordRef,
    db_path: Path,
    answer_yes: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    projects = ProjectService(uow_factory, owner.id)
    project = projects.create(BusinessProject("Shop fitting", account))
    pid = project.id or 0
    for subject in ("Survey", "Order", "Build", "Hand over", "Invoice"):
        projects.add_task(replace(projects.new_task(pid), subject=subject))
    other = projects.create(BusinessProject("Kitchen", account)).id or 0
    stray = projects.add_task(replace(projects.new_task(other), subject="Measure the walls"))
    projects.delete_task(stray.id or 0, stray.version)
    projects.delete(pid, projects.get(pid).version)
    marketing = MarketingService(uow_factory, owner.id)
    fair = marketing.create(MarketingActivity("Trade fair Utrecht"))
    marketing.delete(fair.id or 0, fair.version)
    history = HistoryService(uow_factory, owner.id)
    opportunity = OpportunityService(uow_factory, owner.id).create(
        Opportunity(title="New ovens", link=account)
    )
    for kind, subject in (
        (HistoryKind.NOTE, "Visit notes"),
        (HistoryKind.EMAIL, "Quote sent"),
        (HistoryKind.TASK, "Call back"),
    ):
        item = history.create(HistoryItem(kind, subject, opportunity_id=opportunity.id))
        history.delete(item.id or 0, item.version)
    item = history.create(
        HistoryItem(HistoryKind.FILE, "Plan.pdf", file_name="Plan.pdf", account_id=account.id),
        b"%PDF-1.4",
    )
    history.delete(item.id or 0, item.version)

    click_folder(qtbot, window, DELETED_ITEMS)
    model = window.deleted_items.list.model
    qtbot.waitUntil(lambda: model.rowCount() == 7, timeout=5_000)
    qtmodeltester.check(model)
    shown = {
        model.index(r, 1).data(): (model.index(r, 0).data(), model.index(r, 4).data())
        for r in range(model.rowCount())
    }
    assert shown == {
        "Plan.pdf": ("File", ""),
        "Call back": ("Task", ""),
        "Quote sent": ("E-mail", ""),
        "Visit notes": ("Business note", ""),
        "Trade fair Utrecht": ("Marketing activity", ""),
        "Shop fitting": ("Business project", "5 tasks"),
        "Measure the walls": ("Project task", ""),
    }
    window.grab().save("/tmp/deleted-more-kinds.png")

    # A task whose project is deleted too is refused, with the reason, and stays listed.
    errors: list[str] = []
    monkeypatch.setattr(
        "bcm_desktop.ui.workspace.deleted_items.show_error",
        lambda _parent, error: errors.append(error.message),
    )
    projects.delete(other, projects.get(other).version)
    window.deleted_items.refresh()
    qtbot.waitUntil(lambda: model.rowCount() == 8, timeout=5_000)
    row = next(r for r in range(8) if model.index(r, 1).data() == "Measure the walls")
    click_row(qtbot, window.deleted_items.list.view, row)
    qtbot.mouseClick(
        button_for(window, window.deleted_items.restore_action), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    assert "its business project has been deleted" in errors[0]
    assert "restore it first" in errors[0]
    qtbot.waitUntil(lambda: model.rowCount() == 8, timeout=5_000)
