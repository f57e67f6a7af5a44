"""The Project Management workspace: its folder and Home groups, the two lists with their
filters and reading pane, and New Project / Open / Delete, read back from the database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from sqlalchemy import func, select

from bcm_desktop.app import build_main_window
from bcm_desktop.domain.entities import RecordRef, User
from bcm_desktop.domain.enums import ProjectStatus, TaskStatus
from bcm_desktop.domain.projects import BusinessProject
from bcm_desktop.repository.database import Database
from bcm_desktop.repository.orm import BusinessProjectRow
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.ui.dialogs.create_project_dialog import CreateProjectDialog
from bcm_desktop.ui.dialogs.link_dialog import LinkDialog
from bcm_desktop.ui.forms.project_form import ProjectForm
from bcm_desktop.ui.main_window import MainWindow
from bcm_desktop.ui.workspace.projects import TASKS_TAB, ProjectWorkspace
from tests.conftest import OWNER_LOGIN


@pytest.fixture(autouse=True)
def never_block(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    monkeypatch.setattr(ProjectForm, "ask_unsaved", lambda self: "discard")
    for name in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, lambda _p, _t, text, *a, **k: seen.append(text))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    return seen


@pytest.fixture
def colleague(uow_factory: Callable[[], UnitOfWork]) -> User:
    with uow_factory() as uow:
        user = uow.users.add("Cas Collega", "cas")
        uow.commit()
    return user


@pytest.fixture
def window(
    qtbot: Any,
    database: Database,
    settings: QSettings,
    account: RecordRef,
    contact: RecordRef,
    colleague: User,
) -> MainWindow:
    window = build_main_window(database, OWNER_LOGIN, settings=settings)
    window.sales.setMinimumWidth(320)
    qtbot.addWidget(window, before_close_func=lambda w: w.wait_for_workers())
    services = window.services.projects
    assert services is not None
    projects = services.forms.services.projects
    alpha = projects.create(BusinessProject("Alpha", account, assigned_to_id=colleague.id))
    projects.create(BusinessProject("Beta", contact, status=ProjectStatus.IN_PROGRESS))
    task = projects.new_task(alpha.id or 0)
    projects.add_task(replace(task, subject="Survey", assigned_to_id=colleague.id))
    projects.add_task(replace(task, subject="Install", status=TaskStatus.COMPLETED))
    window.show()
    qtbot.waitExposed(window)
    workspace(window).refresh()
    return window


def workspace(window: MainWindow) -> ProjectWorkspace:
    widget = window.navigation.widget("projects")
    assert isinstance(widget, ProjectWorkspace)
    return widget


def click_folder(qtbot: Any, window: MainWindow, key: str) -> None:
    folders = window.navigation.folders
    rect = folders.visualItemRect(window.navigation.item(key))
    qtbot.mouseClick(folders.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def names(view: Any) -> list[str]:
    model = view.model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def project_names(database: Database) -> list[str]:
    with database.session_factory() as session:
        return list(session.scalars(select(BusinessProjectRow.name).order_by("name")))


def test_folder_shows_its_home_groups_and_lists_projects(qtbot: Any, window: MainWindow) -> None:
    home = window.ribbon.tab("home")
    assert not home.group("projectNew").isVisible()
    click_folder(qtbot, window, "projects")
    assert window.stack.currentWidget() is workspace(window)
    assert home.group("projectNew").isVisible() and home.group("projectTemplates").isVisible()
    assert names(workspace(window).projects) == ["Alpha", "Beta"]
    assert window.status_label.text() == "2 projects"


def test_models_pass_the_model_tester_with_filters(
    qtbot: Any, qtmodeltester: Any, window: MainWindow
) -> None:
    space = workspace(window)
    qtmodeltester.check(space.projects.model)
    qtmodeltester.check(space.tasks.model)
    space.project_status.setCurrentIndex(space.project_status.findData("in_progress"))
    assert names(space.projects) == ["Beta"]
    qtmodeltester.check(space.projects.model)


def test_filters_by_status_and_assigned_to(qtbot: Any, window: MainWindow, colleague: User) -> None:
    space = workspace(window)
    click_folder(qtbot, window, "projects")
    space.project_assigned.setFocus()
    qtbot.keyClicks(space.project_assigned, "Cas")
    assert names(space.projects) == ["Alpha"]
    space.tabs.setCurrentIndex(TASKS_TAB)
    assert window.status_label.text() == "2 tasks"
    space.task_status.setCurrentIndex(space.task_status.findData("completed"))
    assert names(space.tasks) == ["Install"]
    space.task_status.setCurrentIndex(0)
    space.task_assigned.setCurrentIndex(space.task_assigned.findData(colleague.id))
    assert names(space.tasks) == ["Survey"]


def test_reading_pane_follows_the_row_and_double_click_opens_the_form(
    qtbot: Any, window: MainWindow
) -> None:
    space = workspace(window)
    click_folder(qtbot, window, "projects")
    view = space.projects.view
    index = space.projects.model.index(0, 0)
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert space.projects.reading_pane is not None
    pane = space.projects.reading_pane.toPlainText()
    assert "Alpha" in pane and "Cas Collega" in pane and "Survey" in pane
    assert space.open_action.isEnabled()
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    forms = window.services.projects.forms.forms  # type: ignore[union-attr]
    assert [form.project.name for form in forms] == ["Alpha"]
    for form in forms:
        qtbot.addWidget(form)


def test_delete_removes_the_selected_projects(
    qtbot: Any, window: MainWindow, database: Database
) -> None:
    space = workspace(window)
    click_folder(qtbot, window, "projects")
    view = space.projects.view
    rect = view.visualRect(space.projects.model.index(0, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert space.projects.selected_ids() and space.delete_action.isEnabled()
    space.delete_action.trigger()
    assert project_names(database) == []
    assert space.projects.model.rowCount() == 0


def test_new_project_without_opportunity(
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    window: MainWindow,
    database: Database,
    account: RecordRef,
) -> None:
    space = workspace(window)
    click_folder(qtbot, window, "projects")
    services = window.services.projects
    assert services is not None
    candidate = services.forms.services.links.candidate(account)
    monkeypatch.setattr(LinkDialog, "ask", classmethod(lambda cls, *a, **k: candidate))

    def fill(dialog: CreateProjectDialog) -> int:
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.name_edit.text() == ""
        qtbot.keyClicks(dialog.name_edit, "Gamma")
        qtbot.mouseClick(dialog.link_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )
        return dialog.result()

    monkeypatch.setattr(CreateProjectDialog, "exec", fill)
    space.new_project_action.trigger()
    assert project_names(database) == ["Alpha", "Beta", "Gamma"]
    assert names(space.projects) == ["Alpha", "Beta", "Gamma"]
    with database.session_factory() as session:
        gamma = session.scalars(
            select(BusinessProjectRow).where(BusinessProjectRow.name == "Gamma")
        ).one()
        assert (gamma.link_account_id, gamma.opportunity_id) == (account.id, None)
        assert session.scalar(select(func.count()).select_from(BusinessProjectRow)) == 3
    for form in services.forms.forms:
        qtbot.addWidget(form)
