"""The Project Management workspace: Business Projects and Project Tasks tabs.

Both tabs are :class:`~.records.RecordListView` lists (lazy, sorted and searched in SQL) with a
reading pane and filters by status and by assigned user. The workspace's actions (New
Project, Open, Delete, Templates) are the Home-tab groups the main window shows while this
folder is current.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QCoreApplication, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QMessageBox, QStyle, QTabWidget, QVBoxLayout, QWidget

from ...domain.enums import Priority, ProjectStatus, TaskStatus
from ...domain.errors import DomainError
from ...domain.listing import RecordOrder, RecordRow
from ...domain.projects import project_percent
from .. import formatting
from ..actions import themed_icon
from ..dialogs.project_task_dialog import ProjectTaskDialog
from ..errors import show_error
from ..forms.project_labels import priority_label, project_status_label, task_status_label
from ..forms.project_manager import ProjectFormManager
from .records import RecordListView, RecordSource, count_text, value_column
from .table_model import Column
from .user_filter import refill_user_filter

PROJECTS_TAB, TASKS_TAB = range(2)
_WIDTHS = {
    "assigned_to": 110,
    "status": 95,
    "priority": 65,
    "start_date": 80,
    "due_date": 80,
    "percent": 80,
}
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _tr(text: str) -> str:
    return QCoreApplication.translate("ProjectWorkspace", text)


@dataclass(frozen=True)
class ProjectWorkspaceServices:
    """What the workspace needs: the project forms and the two list sources (from app.py)."""

    forms: ProjectFormManager
    projects: RecordSource
    tasks: RecordSource


def _date(value: object) -> str:
    return formatting.short_date(value) if isinstance(value, date) else ""


def _percent(value: object) -> str:
    return "" if value is None else f"{value} %"


def _enum_text(label: Callable[[object], str]) -> Callable[[object], str]:
    def show(value: object) -> str:
        try:
            return label(value)
        except (KeyError, ValueError):
            return "" if value is None else str(value)

    return show


def _project_columns() -> list[Column[RecordRow]]:
    return [
        value_column(0, "name", lambda: _tr("Project name")),
        value_column(1, "link", lambda: _tr("Linked to")),
        value_column(2, "assigned_to", lambda: _tr("Assigned to")),
        value_column(
            3,
            "status",
            lambda: _tr("Status"),
            _enum_text(lambda v: project_status_label(ProjectStatus(str(v)))),
        ),
        value_column(
            4,
            "priority",
            lambda: _tr("Priority"),
            _enum_text(lambda v: priority_label(Priority(str(v)))),
        ),
        value_column(5, "start_date", lambda: _tr("Start date"), _date, _RIGHT),
        value_column(6, "due_date", lambda: _tr("Due date"), _date, _RIGHT),
        value_column(7, "percent", lambda: _tr("% complete"), _percent, _RIGHT),
    ]


def _task_columns() -> list[Column[RecordRow]]:
    return [
        value_column(0, "subject", lambda: _tr("Subject")),
        value_column(1, "project", lambda: _tr("Project")),
        value_column(2, "assigned_to", lambda: _tr("Assigned to")),
        value_column(
            3,
            "status",
            lambda: _tr("Status"),
            _enum_text(lambda v: task_status_label(TaskStatus(str(v)))),
        ),
        value_column(
            4,
            "priority",
            lambda: _tr("Priority"),
            _enum_text(lambda v: priority_label(Priority(str(v)))),
        ),
        value_column(5, "start_date", lambda: _tr("Start date"), _date, _RIGHT),
        value_column(6, "due_date", lambda: _tr("Due date"), _date, _RIGHT),
        value_column(7, "percent", lambda: _tr("% complete"), _percent, _RIGHT),
    ]


class ProjectWorkspace(QWidget):
    """Navigation pane → Project Management."""

    status_changed = Signal(str)

    def __init__(self, services: ProjectWorkspaceServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("projectWorkspace")
        self._services = services
        self._forms = services.forms
        form_services = services.forms.services
        self._users = form_services.lookups.users()
        self._user_names = {user.id: user.name for user in form_services.lookups.all_users()}

        self.projects = RecordListView(
            services.projects,
            _project_columns(),
            RecordOrder("name"),
            self,
            object_name="businessProjects",
            describe=self.describe_project,
            noun=lambda n: count_text(n, _tr("1 project"), _tr("{count} projects")),
            widths={**_WIDTHS, "name": 190, "link": 150},
        )
        self.tasks = RecordListView(
            services.tasks,
            _task_columns(),
            RecordOrder("due_date"),
            self,
            object_name="projectTasks",
            describe=self.describe_task,
            noun=lambda n: count_text(n, _tr("1 task"), _tr("{count} tasks")),
            widths={**_WIDTHS, "subject": 170, "project": 150},
        )
        self.project_status = self._filter(self.projects, "projectStatusFilter", ProjectStatus)
        self.project_assigned = self._user_filter(self.projects, "projectAssignedFilter")
        self.task_status = self._filter(self.tasks, "taskStatusFilter", TaskStatus)
        self.task_assigned = self._user_filter(self.tasks, "taskAssignedFilter")

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("projectTabs")
        self.tabs.addTab(self.projects, _tr("Business Projects"))
        self.tabs.addTab(self.tasks, _tr("Project Tasks"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self._build_actions()
        self.projects.open_requested.connect(self.open_project)
        self.tasks.open_requested.connect(self.open_task)
        for view in (self.projects, self.tasks):
            view.status_changed.connect(self._on_status)
            view.current_changed.connect(lambda *_: self._update_actions())
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self._forms.records_changed.connect(self.refresh)
        self._update_actions()

    # -- construction --------------------------------------------------------------------

    def _filter(
        self, view: RecordListView, name: str, kind: type[ProjectStatus | TaskStatus]
    ) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setAccessibleName(_tr("Status filter"))
        combo.addItem(_tr("All"), None)
        label = project_status_label if kind is ProjectStatus else task_status_label
        for value in kind:
            combo.addItem(label(value), value.value)  # type: ignore[arg-type]
        combo.currentIndexChanged.connect(lambda _i: view.set_equals("status", combo.currentData()))
        view.add_filter_widget(_tr("S&tatus:"), combo)
        return combo

    def _user_filter(self, view: RecordListView, name: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setAccessibleName(_tr("Assigned to filter"))
        combo.addItem(_tr("Anyone"), None)
        for user in self._users:
            combo.addItem(user.name, user.id)
        combo.currentIndexChanged.connect(
            lambda _i: view.set_equals("assigned_to", combo.currentData())
        )
        view.add_filter_widget(_tr("Assi&gned to:"), combo)
        return combo

    def _action(
        self, name: str, slot: Callable[[], object], icon: QStyle.StandardPixmap, theme: str
    ) -> QAction:
        action = QAction(themed_icon(theme, icon), "", self)
        action.setObjectName(name)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_actions(self) -> None:
        sp = QStyle.StandardPixmap
        self.new_project_action = self._action(
            "newProject", self.new_project, sp.SP_FileDialogNewFolder, "folder-new"
        )
        self.open_action = self._action(
            "openProjectRecord", self.open_current, sp.SP_DialogOpenButton, "document-open"
        )
        self.delete_action = self._action(
            "deleteProjectRecords", self.delete_selected, sp.SP_TrashIcon, "edit-delete"
        )
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.delete_action)
        self.templates_action = self._action(
            "projectTemplates",
            self.edit_templates,
            sp.SP_FileDialogDetailedView,
            "document-properties",
        )
        self.retranslate_ui()

    @property
    def actions_new(self) -> list[QAction]:
        return [self.new_project_action]

    @property
    def actions_edit(self) -> list[QAction]:
        return [self.open_action, self.delete_action]

    @property
    def actions_templates(self) -> list[QAction]:
        return [self.templates_action]

    def retranslate_ui(self) -> None:
        for action, text, tip in (
            (self.new_project_action, _tr("New Project"), _tr("Create a business project")),
            (self.open_action, _tr("Open"), _tr("Open the selected project or task")),
            (self.delete_action, _tr("Delete"), _tr("Delete the selected projects or tasks")),
            (self.templates_action, _tr("Templates"), _tr("Edit the project templates")),
        ):
            action.setText(text)
            action.setToolTip(tip)
        self.tabs.setTabText(PROJECTS_TAB, _tr("Business Projects"))
        self.tabs.setTabText(TASKS_TAB, _tr("Project Tasks"))

    # -- the window's workspace interface ------------------------------------------------

    def current_list(self) -> RecordListView:
        return self.tasks if self.tabs.currentIndex() == TASKS_TAB else self.projects

    def status_text(self) -> str:
        return self.current_list().status_text()

    def refresh(self) -> None:
        self.projects.refresh()
        self.tasks.refresh()
        self._update_actions()

    def save_state(self, settings: QSettings) -> None:
        self.projects.save_state(settings)
        self.tasks.save_state(settings)
        settings.setValue("projects/tab", self.tabs.currentIndex())

    def restore_state(self, settings: QSettings) -> None:
        self.projects.restore_state(settings)
        self.tasks.restore_state(settings)
        tab = settings.value("projects/tab", PROJECTS_TAB)
        self.tabs.setCurrentIndex(int(tab) if str(tab).isdigit() else PROJECTS_TAB)

    def _on_status(self, text: str) -> None:
        if self.sender() is self.current_list():
            self.status_changed.emit(text)
            self._update_actions()  # the selection changed

    def _on_tab_changed(self, _index: int) -> None:
        self.status_changed.emit(self.status_text())
        self._update_actions()

    def _update_actions(self) -> None:
        view = self.current_list()
        has_current = view.current_id() is not None
        self.open_action.setEnabled(has_current)
        self.delete_action.setEnabled(has_current or bool(view.selected_ids()))

    # -- reading pane --------------------------------------------------------------------

    def reload_choices(self) -> None:
        """Read the Assigned to filters' users again (after File → Share Database…)."""
        lookups = self._forms.services.lookups
        self._users = lookups.users()
        self._user_names = {user.id: user.name for user in lookups.all_users()}
        for combo, view in (
            (self.project_assigned, self.projects),
            (self.task_assigned, self.tasks),
        ):
            if refill_user_filter(combo, self._users):
                view.set_equals("assigned_to", combo.currentData())

    def _user_name(self, user_id: int | None) -> str:
        # Removed users too: a project or task keeps showing who it was assigned to.
        return self._user_names.get(user_id, "") if user_id is not None else ""

    def describe_project(self, project_id: int) -> str:
        services = self._forms.services
        try:
            project = services.projects.get(project_id)
            tasks = services.projects.tasks(project_id)
        except DomainError as error:
            return f"<p>{html.escape(error.message)}</p>"
        link = services.links.name_of(project.link) if project.link else None
        rows = [
            (_tr("Linked to"), link or ""),
            (_tr("Assigned to"), self._user_name(project.assigned_to_id)),
            (_tr("Status"), project_status_label(project.status)),
            (_tr("Priority"), priority_label(project.priority)),
            (_tr("Start date"), formatting.short_date(project.start_date)),
            (_tr("Due date"), formatting.short_date(project.due_date)),
            (
                _tr("% complete"),
                f"{project_percent(project.percent_complete, tasks)} %",
            ),
        ]
        task_items = "".join(
            f"<li>{html.escape(t.subject)} — {html.escape(task_status_label(t.status))}"
            f" ({t.percent_complete} %){', ' if t.assigned_to_id else ''}"
            f"{html.escape(self._user_name(t.assigned_to_id))}</li>"
            for t in tasks
        )
        return (
            f"<h3>{html.escape(project.name)}</h3>{_table(rows)}"
            f"<p><b>{html.escape(_tr('Tasks'))}</b> ({len(tasks)})</p>"
            + (f"<ul>{task_items}</ul>" if tasks else "")
        )

    def describe_task(self, task_id: int) -> str:
        services = self._forms.services
        try:
            task = services.projects.get_task(task_id)
            project = services.projects.get(task.project_id)
        except DomainError as error:
            return f"<p>{html.escape(error.message)}</p>"
        rows = [
            (_tr("Project"), project.name),
            (_tr("Assigned to"), self._user_name(task.assigned_to_id)),
            (_tr("Status"), task_status_label(task.status)),
            (_tr("Priority"), priority_label(task.priority)),
            (_tr("Start date"), formatting.short_date(task.start_date)),
            (_tr("Due date"), formatting.short_date(task.due_date)),
            (_tr("% complete"), f"{task.percent_complete} %"),
        ]
        comments = (
            f"<p style='white-space:pre-wrap'>{html.escape(task.comments)}</p>"
            if task.comments
            else ""
        )
        return f"<h3>{html.escape(task.subject)}</h3>{_table(rows)}{comments}"

    # -- actions -------------------------------------------------------------------------

    def new_project(self) -> None:
        """Create Business Project without an opportunity, then open it."""
        self._forms.create_project(self)

    def open_current(self) -> None:
        record_id = self.current_list().current_id()
        if record_id is None:
            return
        if self.current_list() is self.tasks:
            self.open_task(record_id)
        else:
            self.open_project(record_id)

    def open_project(self, project_id: int) -> None:
        self._forms.open_project(project_id, self)

    def open_task(self, task_id: int) -> None:
        services = self._forms.services
        try:
            task = services.projects.get_task(task_id)
        except DomainError as error:
            show_error(self, error)
            self.refresh()
            return
        if ProjectTaskDialog.ask(self, services.projects, services.lookups, task) is not None:
            self._forms.refresh_open_forms()  # the task's project may be open in a form
            self._forms.records_changed.emit()

    def delete_selected(self) -> None:
        view = self.current_list()
        ids = view.selected_ids() or ([view.current_id()] if view.current_id() else [])
        ids = [record_id for record_id in ids if record_id is not None]
        if not ids:
            return
        tasks = view is self.tasks
        question = (
            (_tr("Delete the selected task?") if tasks else _tr("Delete the selected project?"))
            if len(ids) == 1
            else (
                _tr("Delete the {count} selected tasks?")
                if tasks
                else _tr("Delete the {count} selected projects with their tasks?")
            ).format(count=len(ids))
        )
        question += " " + (
            _tr("They go to Deleted Items, where they can be restored.")
            if len(ids) > 1
            else _tr("It goes to Deleted Items, where it can be restored.")
        )
        answer = QMessageBox.question(
            self,
            _tr("Delete"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        projects = self._forms.services.projects
        try:
            if tasks:
                projects.delete_tasks(ids)
            else:
                projects.delete_many(ids)
        except DomainError as error:
            show_error(self, error)
        self._forms.refresh_open_forms()  # open forms stop listing the deleted tasks
        self._forms.records_changed.emit()

    def edit_templates(self) -> None:
        self._forms.edit_templates(self)


def _table(rows: list[tuple[str, str]]) -> str:
    cells = "".join(
        f"<tr><td style='color:gray; padding-right:8px'>{html.escape(label)}</td>"
        f"<td>{html.escape(value)}</td></tr>"
        for label, value in rows
    )
    return f"<table>{cells}</table>"
