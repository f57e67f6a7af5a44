"""Defects found using business projects like a salesperson does all day: each test drives the
real widgets and reads the database back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
)

from bcm_desktop.app import build_main_window
from bcm_desktop.domain.entities import Opportunity, RecordRef, User
from bcm_desktop.domain.enums import TaskStatus
from bcm_desktop.domain.projects import (
    MAX_TEMPLATE_DAYS,
    BusinessProject,
    ProjectTemplate,
    TemplateTask,
)
from bcm_desktop.repository.database import Database
from bcm_desktop.repository.link_queries import LinkQueries
from bcm_desktop.repository.unit_of_work import UnitOfWork
from bcm_desktop.services.history import HistoryService
from bcm_desktop.services.links import LinkService
from bcm_desktop.services.lookups import Lookups
from bcm_desktop.services.opportunities import OpportunityService
from bcm_desktop.services.projects import ProjectService, TemplateService
from bcm_desktop.services.users import UserService
from bcm_desktop.ui.dialogs.create_project_dialog import CreateProjectDialog
from bcm_desktop.ui.dialogs.link_dialog import LinkDialog
from bcm_desktop.ui.dialogs.project_task_dialog import ProjectTaskDialog
from bcm_desktop.ui.dialogs.project_templates_dialog import ProjectTemplatesDialog
from bcm_desktop.ui.forms.project_form import ProjectForm
from bcm_desktop.ui.forms.project_services import ProjectFormServices
from bcm_desktop.ui.workspace.projects import TASKS_TAB
from tests.conftest import OWNER_LOGIN

TODAY = date(2026, 11, 28)


@pytest.fixture
def project_services(
    database: Database, uow_factory: Callable[[], UnitOfWork], owner: User
) -> ProjectFormServices:
    return ProjectFormServices(
        projects=ProjectService(uow_factory, owner.id, today=lambda: TODAY),
        templates=TemplateService(uow_factory),
        lookups=Lookups(uow_factory),
        links=LinkService(LinkQueries(database), uow_factory),
        history=HistoryService(uow_factory),
    )


@pytest.fixture(autouse=True)
def never_block(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """No modal box may open: what a warning says is kept; questions answer Yes."""
    seen: list[str] = []
    for name in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, lambda _p, _t, text, *a, **k: seen.append(text))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    return seen


def choose(qtbot, combo: QComboBox, text: str) -> None:
    """Pick a combo box entry by typing its first letters, as a keyboard user does (after
    the pause that starts a new keyboard search)."""
    qtbot.wait(QApplication.keyboardInputInterval() + 50)
    combo.setFocus()
    qtbot.keyClicks(combo, text.split(maxsplit=1)[0])  # a space would open the list
    assert combo.currentText() == text


def project_count(database: Database) -> int:
    with database.engine.connect() as connection:
        return int(
            connection.exec_driver_sql("SELECT count(*) FROM business_projects").scalar_one()
        )


def task_row(database: Database, task_id: int) -> tuple[str, int]:
    with database.engine.connect() as connection:
        row = connection.exec_driver_sql(
            "SELECT status, percent_complete FROM project_tasks WHERE id = ?", (task_id,)
        ).one()
    return str(row[0]), int(row[1])


def test_a_completed_task_set_back_to_in_progress_stays_in_progress(
    qtbot, project_services: ProjectFormServices, database: Database, account: RecordRef
) -> None:
    """Choosing "In progress" for a completed task and pressing OK saved it as Completed
    again: the 100 % left in the % complete box overruled the status the user chose."""
    projects = project_services.projects
    project = projects.create(BusinessProject("Shop fitting", account))
    task = projects.add_task(
        replace(projects.new_task(project.id or 0), subject="Paint", percent_complete=30)
    )
    dialog = ProjectTaskDialog(projects, project_services.lookups, task)
    qtbot.addWidget(dialog)
    dialog.show()
    choose(qtbot, dialog.status_combo, "Completed")
    assert dialog.percent_spin.value() == 100
    choose(qtbot, dialog.status_combo, "In progress")
    assert dialog.status_combo.currentData() == TaskStatus.IN_PROGRESS.value
    assert dialog.percent_spin.value() == 30  # what it was before it was marked completed
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert task_row(database, task.id or 0) == ("in_progress", 30)

    stored = projects.get_task(task.id or 0)
    completed = projects.update_task(replace(stored, status=TaskStatus.COMPLETED))
    dialog = ProjectTaskDialog(projects, project_services.lookups, completed)
    qtbot.addWidget(dialog)
    dialog.show()
    choose(qtbot, dialog.status_combo, "Not started")
    assert dialog.percent_spin.value() == 0
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert task_row(database, task.id or 0) == ("not_started", 0)


def test_create_project_from_an_opportunity_of_a_removed_colleague(
    qtbot,
    project_services: ProjectFormServices,
    uow_factory: Callable[[], UnitOfWork],
    database: Database,
    owner: User,
    account: RecordRef,
    never_block: list[str],
) -> None:
    """An opportunity still assigned to a colleague the owner removed could not be made into
    a project: the dialog offered no Assigned to, and OK always said the colleague "no
    longer shares this database". The project goes to the user who creates it instead."""
    users = UserService(uow_factory, owner.id)
    colleague = users.add("Cas Collega", "cas@example.com", "cas")
    opportunity = OpportunityService(uow_factory, owner.id).create(
        Opportunity("Kassa's voor de bakkerij", account, assigned_to_id=colleague.id)
    )
    users.remove(colleague.id or 0)

    dialog = CreateProjectDialog(project_services, opportunity=opportunity)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert never_block == []
    assert dialog.created is not None
    with database.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT name, assigned_to_id, opportunity_id FROM business_projects"
        ).all()
    assert [tuple(row) for row in rows] == [("Kassa's voor de bakkerij", owner.id, opportunity.id)]


def click_list_row(qtbot, view: QAbstractItemView, row: int) -> None:
    index = view.model().index(row, 0)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
    )


def test_templates_dialog_shows_the_template_clicked_after_saving_another(
    qtbot, project_services: ProjectFormServices
) -> None:
    """Typing a new template and then clicking an existing one saved the new one, but showed
    (and then edited) the template that the new one pushed into the clicked row."""
    templates = project_services.templates
    templates.create(ProjectTemplate("Audit", [TemplateTask("Check books", 0, 3)]))
    templates.create(ProjectTemplate("Move", [TemplateTask("Pack", 0, 2)]))
    dialog = ProjectTemplatesDialog(templates)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.name_edit, "Install")
    click_list_row(qtbot, dialog.list_view, 1)  # "Move"
    assert [t.name for t in templates.all()] == ["Audit", "Install", "Move"]
    assert dialog.name_edit.text() == "Move"
    assert dialog.list_view.currentIndex().data() == "Move"

    # Renaming the one shown moves it in the list; the one clicked next is the one shown.
    dialog.name_edit.clear()
    qtbot.keyClicks(dialog.name_edit, "Relocation")
    click_list_row(qtbot, dialog.list_view, 0)  # "Audit"
    assert [t.name for t in templates.all()] == ["Audit", "Install", "Relocation"]
    assert dialog.name_edit.text() == "Audit"
    assert dialog.list_view.currentIndex().data() == "Audit"
    click_list_row(qtbot, dialog.list_view, 1)
    assert dialog.name_edit.text() == "Install"


def test_an_open_project_form_follows_tasks_deleted_and_edited_in_the_workspace(
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
    database: Database,
    settings: QSettings,
    account: RecordRef,
) -> None:
    """A project form left open kept listing a task deleted on the Project Tasks tab, and
    its % complete kept counting it (and a task edited there kept its old values)."""
    window = build_main_window(database, OWNER_LOGIN, settings=settings)
    qtbot.addWidget(window, before_close_func=lambda w: w.wait_for_workers())
    window.show()
    qtbot.waitExposed(window)
    assert window.services.projects is not None
    manager = window.services.projects.forms
    projects = manager.services.projects
    project = projects.create(BusinessProject("Shop fitting", account))
    draft = projects.new_task(project.id or 0)
    projects.add_task(replace(draft, subject="Paint", percent_complete=20))
    done = projects.add_task(replace(draft, subject="Order", status=TaskStatus.COMPLETED))
    form = manager.open_project(project.id or 0)
    assert form is not None
    assert form.computed_label.text().startswith("60 %")

    space = window.projects
    space.tabs.setCurrentIndex(TASKS_TAB)
    space.refresh()
    tasks = space.tasks
    row = next(r for r in range(tasks.model.rowCount()) if tasks.model.id_at(r) == done.id)
    tasks.view.selectRow(row)
    space.delete_action.trigger()
    assert [t.subject for t in form.task_model.tasks()] == ["Paint"]
    assert form.computed_label.text().startswith("20 %")

    def set_half(dialog: ProjectTaskDialog) -> int:
        dialog.percent_spin.setValue(50)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(ProjectTaskDialog, "exec", set_half)
    tasks.view.selectRow(0)
    space.open_action.trigger()
    assert form.computed_label.text().startswith("50 %")

    # Deleting the project itself in the workspace leaves its form open without an error.
    space.tabs.setCurrentIndex(0)
    space.refresh()
    space.projects.view.selectRow(0)
    space.delete_action.trigger()
    assert project_count(database) == 0
    assert form.task_model.rowCount() == 0


def test_project_form_mnemonics_are_unique_and_reach_their_buttons(
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
    project_services: ProjectFormServices,
    account: RecordRef,
) -> None:
    """Alt+D was both "Start date" and the related records' "Add…", and Alt+N both "Project
    name" and the tasks' "New…": each press only moved the focus between the two, so the
    keyboard could not add a related record or a task."""
    project = project_services.projects.create(BusinessProject("Shop fitting", account))
    form = ProjectForm(project_services, project)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    opened: list[str] = []
    monkeypatch.setattr(LinkDialog, "ask", classmethod(lambda cls, *a, **k: opened.append("add")))
    monkeypatch.setattr(
        ProjectTaskDialog, "ask", classmethod(lambda cls, *a, **k: opened.append("task"))
    )
    texts = [
        label.text()
        for label in form.findChildren(QLabel) + form.findChildren(QPushButton)
        if label.isVisible() and "&" in label.text().replace("&&", "")
    ]
    keys = [text[text.index("&") + 1].lower() for text in texts if "&" in text]
    assert len(keys) == len(set(keys)), texts
    assert "s" not in keys  # Alt+S is Save & Close

    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    qtbot.keyClick(form.name_edit, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: opened == ["add"])  # a mnemonic clicks after a short flash
    qtbot.keyClick(form.name_edit, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: opened == ["add", "task"])
    qtbot.keyClick(form.name_edit, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    assert form.start_edit.hasFocus()


def test_the_task_reading_pane_keeps_the_lines_of_its_comments(
    qtbot, database: Database, settings: QSettings, account: RecordRef
) -> None:
    """A task's comments of several lines ran together on one line in the reading pane."""
    window = build_main_window(database, OWNER_LOGIN, settings=settings)
    qtbot.addWidget(window, before_close_func=lambda w: w.wait_for_workers())
    window.show()
    qtbot.waitExposed(window)
    assert window.services.projects is not None
    projects = window.services.projects.forms.services.projects
    project = projects.create(BusinessProject("Shop fitting", account))
    comments = "Call the painter\nOrder  two  ladders\n\nAsk about the floor"
    projects.add_task(
        replace(projects.new_task(project.id or 0), subject="Paint", comments=comments)
    )
    space = window.projects
    space.tabs.setCurrentIndex(TASKS_TAB)
    space.refresh()
    space.tasks.view.selectRow(0)
    pane = space.tasks.reading_pane
    assert pane is not None
    qtbot.waitUntil(lambda: "Call the painter" in pane.toPlainText())
    assert comments in pane.toPlainText()


def test_template_day_cells_take_only_the_days_a_template_allows(
    qtbot, project_services: ProjectFormServices
) -> None:
    """The day cells of a template task opened an editor taking any whole number; a negative
    or too large one then silently went back to the old value on Enter."""
    dialog = ProjectTemplatesDialog(project_services.templates)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.name_edit, "Install")
    qtbot.mouseClick(dialog.add_task_button, Qt.MouseButton.LeftButton)
    for column in (1, 2):
        index = dialog.task_model.index(0, column)
        dialog.task_view.setCurrentIndex(index)
        dialog.task_view.edit(index)
        qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QSpinBox))
        editor = QApplication.focusWidget()
        assert isinstance(editor, QSpinBox)
        assert (editor.minimum(), editor.maximum()) == (0, MAX_TEMPLATE_DAYS)
        editor.selectAll()
        qtbot.keyClicks(editor, "-12")
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not isinstance(QApplication.focusWidget(), QSpinBox))
    assert dialog.task_model.tasks() == [TemplateTask("New task", 12, 12)]


def test_lowering_the_percent_of_a_completed_task_reopens_it(
    qtbot, project_services: ProjectFormServices, database: Database, account: RecordRef
) -> None:
    """Typing 50 % into a completed task and pressing OK stored it as Completed at 100 %:
    the status left on Completed overruled the percentage typed."""
    projects = project_services.projects
    project = projects.create(BusinessProject("Shop fitting", account))
    task_id = projects.add_task(replace(projects.new_task(project.id or 0), subject="Paint")).id
    assert task_id is not None
    for typed, expected in (("50", ("in_progress", 50)), ("0", ("not_started", 0))):
        stored = projects.get_task(task_id)
        completed = projects.update_task(replace(stored, status=TaskStatus.COMPLETED))
        dialog = ProjectTaskDialog(projects, project_services.lookups, completed)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.percent_spin.setFocus()
        dialog.percent_spin.selectAll()
        qtbot.keyClicks(dialog.percent_spin, typed)
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )
        assert task_row(database, task_id) == expected


def test_a_start_date_filled_in_for_a_template_goes_when_no_template_is_chosen_again(
    qtbot, project_services: ProjectFormServices, database: Database, account: RecordRef
) -> None:
    """The optional start date was not empty but today (a fresh date field takes the date
    its calendar is opened at), and clicking a template, then "No template" again, kept a
    date nobody chose. A date the user set stays."""
    project_services.templates.create(ProjectTemplate("Install", [TemplateTask("Plan", 0, 2)]))
    dialog = CreateProjectDialog(project_services)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.start_edit.value() is None  # optional (S-11): it starts empty
    click_list_row(qtbot, dialog.template_view, 1)
    assert dialog.start_edit.value() == TODAY
    click_list_row(qtbot, dialog.template_view, 0)
    assert dialog.start_edit.value() is None

    dialog.start_edit.set_value(date(2027, 2, 1))
    click_list_row(qtbot, dialog.template_view, 1)
    click_list_row(qtbot, dialog.template_view, 0)
    assert dialog.start_edit.value() == date(2027, 2, 1)


def test_an_unwanted_new_template_can_be_dropped_and_the_dialog_closed(
    qtbot, project_services: ProjectFormServices, never_block: list[str]
) -> None:
    """New Template, Add Task, then Close: closing saves first, the nameless template is
    refused, and Delete Template was disabled for an unsaved one, so the dialog could only
    be left by making a template nobody wanted. Delete Template now drops the new one."""
    dialog = ProjectTemplatesDialog(project_services.templates)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.add_task_button, Qt.MouseButton.LeftButton)
    dialog.close_box.button(QDialogButtonBox.StandardButton.Close).click()
    assert dialog.isVisible()
    assert "Template name is required" in never_block[-1]

    assert dialog.delete_button.isEnabled()
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert dialog.name_edit.text() == "" and dialog.task_model.rowCount() == 0
    dialog.close_box.button(QDialogButtonBox.StandardButton.Close).click()
    assert not dialog.isVisible()
    assert project_services.templates.all() == []
