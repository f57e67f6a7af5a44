"""The business project form (S-11): General, Details and History pages in a window of its own.

The project's own fields are edited on a copy and saved together (Save, Ctrl+S), with the
unsaved-changes question on close and the "changed elsewhere" dialog on a stale save, as in
the opportunity form. Related accounts and contacts and the project tasks are records of
their own: adding, editing or removing one is saved at once, so a task dialog's OK is final.
The History page lists, read-only, the communication history of the project's linked account
or business contact.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QDateTime,
    QLocale,
    QModelIndex,
    QObject,
    QSettings,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QTabWidget,
    QTextEdit,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ...domain.entities import RecordRef
from ...domain.enums import LinkKind, ListKind, Priority, ProjectStatus
from ...domain.errors import ConflictError, DomainError, NotFoundError, ValidationError
from ...domain.projects import BusinessProject, ProjectTask, RelatedRecord, project_percent
from .. import formatting
from ..dialogs.conflict_dialog import KEEP_MINE, RELOAD, ConflictDialog
from ..dialogs.link_dialog import LinkDialog
from ..dialogs.list_editor_dialog import ListEditOutcome
from ..dialogs.project_task_dialog import ProjectTaskDialog
from ..errors import show_error
from ..widgets.column_model import ColumnTableModel, ModelIndex
from ..widgets.dates import OptionalDateEdit
from ..widgets.single_line import keep_on_one_line
from .assignee import select_assignee
from .history_page import HistoryModel
from .list_combo import ListCombo
from .project_labels import (
    fill_enum_combo,
    fill_user_combo,
    priority_label,
    project_status_label,
    select_data,
    task_status_label,
)
from .project_services import ProjectFormServices

GEOMETRY_KEY = "forms/projectGeometry"
SAVE, DISCARD, CANCEL = "save", "discard", "cancel"
AUTOMATIC = -1  # the % complete spin box's "computed from the tasks" value

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _tr(text: str) -> str:
    return QCoreApplication.translate("ProjectForm", text)


def kind_name(ref: RecordRef) -> str:
    return _tr("Account") if ref.kind is LinkKind.ACCOUNT else _tr("Business contact")


class ProjectTaskModel(ColumnTableModel):
    """The project's tasks: subject, assigned to, status, priority, dates and % complete."""

    SUBJECT, ASSIGNED, STATUS, PRIORITY, START, DUE, PERCENT = range(7)
    _ALIGNMENT = (_LEFT, _LEFT, _LEFT, _LEFT, _RIGHT, _RIGHT, _RIGHT)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks: list[ProjectTask] = []
        self._cells: list[tuple[str, ...]] = []

    def _headers(self) -> tuple[str, ...]:
        return (
            _tr("Subject"),
            _tr("Assigned to"),
            _tr("Status"),
            _tr("Priority"),
            _tr("Start date"),
            _tr("Due date"),
            _tr("% complete"),
        )

    def set_tasks(self, tasks: list[ProjectTask], user_names: dict[int, str]) -> None:
        self.beginResetModel()
        try:
            self._tasks = list(tasks)
            self._cells = [
                (
                    task.subject,
                    user_names.get(task.assigned_to_id, "") if task.assigned_to_id else "",
                    task_status_label(task.status),
                    priority_label(task.priority),
                    formatting.short_date(task.start_date),
                    formatting.short_date(task.due_date),
                    f"{task.percent_complete} %",
                )
                for task in self._tasks
            ]
        finally:
            self.endResetModel()

    def task_at(self, row: int) -> ProjectTask | None:
        return self._tasks[row] if 0 <= row < len(self._tasks) else None

    def tasks(self) -> list[ProjectTask]:
        return list(self._tasks)

    def row_of(self, task_id: int | None) -> int:
        return next((n for n, t in enumerate(self._tasks) if t.id == task_id), -1)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._tasks)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._tasks):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._cells[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(self._ALIGNMENT[index.column()].value)
        if role == Qt.ItemDataRole.UserRole:
            return self._tasks[index.row()].id
        return None


class RelatedModel(ColumnTableModel):
    """Accounts and business contacts related to the project: name and kind."""

    _ALIGNMENT = (_LEFT, _LEFT)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._records: list[RelatedRecord] = []

    def _headers(self) -> tuple[str, ...]:
        return (_tr("Name"), _tr("Type"))

    def set_records(self, records: list[RelatedRecord]) -> None:
        self.beginResetModel()
        try:
            self._records = list(records)
        finally:
            self.endResetModel()

    def record_at(self, row: int) -> RelatedRecord | None:
        return self._records[row] if 0 <= row < len(self._records) else None

    def records(self) -> list[RelatedRecord]:
        return list(self._records)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        record = self._records[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return record.name if index.column() == 0 else kind_name(record.ref)
        return None


def _table(parent: QWidget, name: str, model: ColumnTableModel, accessible: str) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(model)
    view.setAccessibleName(accessible)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(False)
    view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    return view


class ProjectForm(QMainWindow):
    """One saved business project. Emits ``saved(id)`` after every change it saves."""

    saved = Signal(int)
    deleted = Signal(int)
    form_closed = Signal(object)
    #: The owner changed the Project type list in this form's list editor (ListEditOutcome).
    lists_changed = Signal(object)

    def __init__(
        self,
        services: ProjectFormServices,
        project: BusinessProject,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("projectForm")
        self._services = services
        self._project = project
        self._link: RecordRef | None = project.link
        self._users = services.lookups.users()
        self._baseline = project

        self._build_actions()
        self._build_pages()
        self._fill_choices()
        self.retranslate_ui()
        self._load(project)
        self.resize(940, 760)
        geometry = QSettings().value(GEOMETRY_KEY)
        if geometry is not None:
            self.restoreGeometry(geometry)

    # -- construction --------------------------------------------------------------------

    def _action(
        self, name: str, slot: Callable[[], object], shortcut: str | None = None
    ) -> QAction:
        action = QAction(self)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.save_close_action = self._action("saveAndClose", self.save_and_close, "Alt+S")
        self.save_action = self._action("save", self.save, "Ctrl+S")
        self.delete_action = self._action("deleteProject", self.delete_record, "Ctrl+D")
        self.link_action = self._action("linkTo", self.choose_link, "Ctrl+L")
        self.new_task_action = self._action("newProjectTask", self.new_task, "Ctrl+Shift+K")
        self.add_related_action = self._action("addRelated", self.add_related)
        toolbar = QToolBar(self)
        toolbar.setObjectName("projectFormRibbon")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addAction(self.save_close_action)
        toolbar.addAction(self.save_action)
        toolbar.addSeparator()
        toolbar.addAction(self.delete_action)
        toolbar.addSeparator()
        toolbar.addAction(self.link_action)
        toolbar.addAction(self.add_related_action)
        toolbar.addAction(self.new_task_action)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        self.toolbar = toolbar

    def _group(self, parent: QWidget, name: str) -> tuple[QGroupBox, QFormLayout]:
        box = QGroupBox(parent)
        box.setObjectName(name)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return box, form

    def _build_pages(self) -> None:
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 6, 8, 8)
        self.tabs = QTabWidget(central)
        self.tabs.setObjectName("projectTabs")
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.tabs.addTab(self._general_page(), "")
        self.tabs.addTab(self._details_page(), "")
        self.tabs.addTab(self._history_page(), "")

    def _general_page(self) -> QWidget:
        scroll = QScrollArea(self)
        scroll.setObjectName("generalPage")
        scroll.setWidgetResizable(True)
        page = QWidget(scroll)
        grid = QGridLayout(page)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        self.info_box, info = self._group(page, "projectInformation")
        self.name_edit = QLineEdit(page)
        keep_on_one_line(self.name_edit)
        self.name_edit.setObjectName("projectName")
        self.name_edit.setMaxLength(255)
        self.assigned_combo = QComboBox(page)
        self.assigned_combo.setObjectName("projectAssignedTo")
        self.type_combo = QComboBox(page)
        self.type_combo.setObjectName("projectType")
        self._info_labels = [QLabel(page) for _ in range(3)]
        for label, widget in zip(
            self._info_labels, (self.name_edit, self.assigned_combo, self.type_combo), strict=True
        ):
            info.addRow(label, widget)
            label.setBuddy(widget)

        self.status_box, status = self._group(page, "projectStatus")
        self.status_combo = QComboBox(page)
        self.status_combo.setObjectName("projectStatusCombo")
        self.priority_combo = QComboBox(page)
        self.priority_combo.setObjectName("projectPriority")
        self.start_edit = OptionalDateEdit(page)
        self.start_edit.setObjectName("projectStartDate")
        self.due_edit = OptionalDateEdit(page)
        self.due_edit.setObjectName("projectDueDate")
        self.percent_spin = QSpinBox(page)
        self.percent_spin.setObjectName("projectPercentComplete")
        self.percent_spin.setRange(AUTOMATIC, 100)
        self.percent_spin.setSuffix(" %")
        self.computed_label = QLabel(page)
        self.computed_label.setObjectName("computedPercent")
        self.computed_label.setStyleSheet("color:#555")
        percent_row = QHBoxLayout()
        percent_row.addWidget(self.percent_spin)
        percent_row.addWidget(self.computed_label, 1)
        self._status_labels = [QLabel(page) for _ in range(5)]
        buddies = (
            self.status_combo,
            self.priority_combo,
            self.start_edit,
            self.due_edit,
            self.percent_spin,
        )
        for label, widget, buddy in zip(
            self._status_labels,
            (self.status_combo, self.priority_combo, self.start_edit, self.due_edit, percent_row),
            buddies,
            strict=True,
        ):
            status.addRow(label, widget)
            label.setBuddy(buddy)

        self.link_box, link = self._group(page, "projectLinkedRecord")
        self.link_button = QPushButton(page)
        self.link_button.setObjectName("projectLinkButton")
        self.link_button.clicked.connect(self.choose_link)
        self.link_label = QLabel(page)
        self.link_label.setObjectName("projectLinkName")
        self.link_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        link_row = QHBoxLayout()
        link_row.addWidget(self.link_button)
        link_row.addWidget(self.link_label, 1)
        link.addRow(link_row)

        self.related_box = QGroupBox(page)
        self.related_box.setObjectName("relatedRecords")
        self.related_model = RelatedModel(self)
        self.related_view = _table(page, "relatedView", self.related_model, "")
        self.related_view.setMinimumHeight(90)
        self.related_view.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )
        self.add_related_button = QPushButton(page)
        self.add_related_button.setObjectName("addRelated")
        self.add_related_button.clicked.connect(self.add_related)
        self.remove_related_button = QPushButton(page)
        self.remove_related_button.setObjectName("removeRelated")
        self.remove_related_button.clicked.connect(self.remove_related)
        related_buttons = QVBoxLayout()
        related_buttons.addWidget(self.add_related_button)
        related_buttons.addWidget(self.remove_related_button)
        related_buttons.addStretch(1)
        related_layout = QHBoxLayout(self.related_box)
        related_layout.addWidget(self.related_view, 1)
        related_layout.addLayout(related_buttons)

        self.tasks_box = QGroupBox(page)
        self.tasks_box.setObjectName("projectTasks")
        self.task_model = ProjectTaskModel(self)
        self.task_view = _table(page, "taskView", self.task_model, "")
        self.task_view.setMinimumHeight(180)
        for column in range(1, 7):
            self.task_view.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.ResizeToContents
            )
        self.task_view.doubleClicked.connect(lambda index: self.open_task(index.row()))
        delete_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.task_view)
        delete_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete_key.activated.connect(self.delete_task)
        self.task_view.activated.connect(lambda index: self.open_task(index.row()))
        self.new_task_button = QPushButton(page)
        self.new_task_button.setObjectName("newTask")
        self.new_task_button.clicked.connect(self.new_task)
        self.open_task_button = QPushButton(page)
        self.open_task_button.setObjectName("openTask")
        self.open_task_button.clicked.connect(lambda: self.open_task(self._task_row()))
        self.delete_task_button = QPushButton(page)
        self.delete_task_button.setObjectName("deleteTask")
        self.delete_task_button.clicked.connect(self.delete_task)
        task_buttons = QVBoxLayout()
        for button in (self.new_task_button, self.open_task_button, self.delete_task_button):
            task_buttons.addWidget(button)
        task_buttons.addStretch(1)
        tasks_layout = QHBoxLayout(self.tasks_box)
        tasks_layout.addWidget(self.task_view, 1)
        tasks_layout.addLayout(task_buttons)

        grid.addWidget(self.info_box, 0, 0)
        grid.addWidget(self.link_box, 1, 0)
        grid.addWidget(self.status_box, 0, 1, 2, 1)
        grid.addWidget(self.related_box, 2, 0, 1, 2)
        grid.addWidget(self.tasks_box, 3, 0, 1, 2)
        grid.setRowStretch(2, 1)
        grid.setRowStretch(3, 2)
        scroll.setWidget(page)

        self.percent_spin.valueChanged.connect(lambda *_: self._update_computed())
        self.task_view.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())
        self.related_view.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())
        self.setTabOrder(self.name_edit, self.assigned_combo)
        self.setTabOrder(self.assigned_combo, self.type_combo)
        self.setTabOrder(self.type_combo, self.link_button)
        self.setTabOrder(self.link_button, self.status_combo)
        self.setTabOrder(self.status_combo, self.priority_combo)
        self.setTabOrder(self.priority_combo, self.start_edit)
        self.setTabOrder(self.start_edit, self.due_edit)
        self.setTabOrder(self.due_edit, self.percent_spin)
        self.setTabOrder(self.percent_spin, self.related_view)
        return scroll

    def _details_page(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("detailsPage")
        layout = QVBoxLayout(page)
        self.timestamp_button = QPushButton(page)
        self.timestamp_button.setObjectName("addTimestamp")
        self.timestamp_button.clicked.connect(self.add_timestamp)
        top = QHBoxLayout()
        self._comments_label = QLabel(page)
        top.addWidget(self._comments_label)
        top.addStretch(1)
        top.addWidget(self.timestamp_button)
        self.comments_edit = QTextEdit(page)
        self.comments_edit.setObjectName("projectComments")
        # Plain text, as the reading pane and the other forms read it: Markdown turned typed
        # "<b>", "_" or blank lines into formatting and lost them on the next save.
        self.comments_edit.setAcceptRichText(False)
        self._comments_label.setBuddy(self.comments_edit)
        layout.addLayout(top)
        layout.addWidget(self.comments_edit, 1)
        return page

    def _history_page(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("historyPage")
        self.history_model = HistoryModel(page)
        self.history_view = QTableView(page)
        self.history_view.setObjectName("projectHistoryView")
        self.history_view.setModel(self.history_model)
        self.history_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history_view.verticalHeader().setVisible(False)
        self.history_view.horizontalHeader().setStretchLastSection(True)
        self.history_view.setColumnWidth(0, 140)
        self.history_view.setColumnWidth(1, 120)
        self.history_caption = QLabel(page)
        self.history_caption.setObjectName("projectHistoryCaption")
        self.history_caption.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.addWidget(self.history_caption)
        layout.addWidget(self.history_view, 1)
        return page

    def _fill_choices(self) -> None:
        fill_user_combo(self.assigned_combo, [(u.id, u.name) for u in self._users])
        # Project type: its entries and the owner's "Edit this list…" (S-4).
        self.type_list = ListCombo(
            self.type_combo,
            ListKind.PROJECT_TYPE,
            self._services.lookups,
            self._services.lists,
            is_loading=lambda: False,  # loading selects entries, never "Edit this list…"
            is_dirty=self.is_dirty,
            stored=lambda: self._baseline.project_type_id,
            follow=self._follow_list_change,
        )
        self.type_list.edited.connect(self.lists_changed)
        fill_enum_combo(self.status_combo, ProjectStatus)
        fill_enum_combo(self.priority_combo, Priority)

    def retranslate_ui(self) -> None:
        texts = {
            self.save_close_action: (_tr("Save && Close"), _tr("Save the project and close it")),
            self.save_action: (_tr("Save"), _tr("Save the project")),
            self.delete_action: (_tr("Delete"), _tr("Delete this project with its tasks")),
            self.link_action: (_tr("Link To"), _tr("Link to an account or business contact")),
            self.add_related_action: (
                _tr("Add Related"),
                _tr("Relate another account or business contact to the project"),
            ),
            self.new_task_action: (_tr("New Task"), _tr("Add a task to the project")),
        }
        for action, (text, tip) in texts.items():
            action.setText(text)
            shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{tip} ({shortcut})" if shortcut else tip)
        self.tabs.setTabText(0, _tr("General"))
        self.tabs.setTabText(1, _tr("Details"))
        self.tabs.setTabText(2, _tr("History"))
        self.info_box.setTitle(_tr("Project information"))
        self.status_box.setTitle(_tr("Status and dates"))
        self.link_box.setTitle(_tr("Linked account or business contact"))
        self.related_box.setTitle(_tr("Related accounts and business contacts"))
        self.tasks_box.setTitle(_tr("Project tasks"))
        for label, text in zip(
            self._info_labels,
            (_tr("Project &name:"), _tr("&Assigned to:"), _tr("Project t&ype:")),
            strict=True,
        ):
            label.setText(text)
        for label, text in zip(
            self._status_labels,
            (
                _tr("S&tatus:"),
                _tr("&Priority:"),
                _tr("Start dat&e:"),
                _tr("D&ue date:"),
                _tr("% co&mplete:"),
            ),
            strict=True,
        ):
            label.setText(text)
        self.percent_spin.setSpecialValueText(_tr("Automatic"))
        width = self.percent_spin.fontMetrics().horizontalAdvance(_tr("Automatic") + " %")
        self.percent_spin.setMinimumWidth(width + 40)  # room for the arrows
        self.percent_spin.setToolTip(
            _tr("Automatic: the mean of the tasks' % complete (a completed task counts 100 %)")
        )
        self.link_button.setText(_tr("Link To…"))
        self.add_related_button.setText(_tr("A&dd…"))
        self.remove_related_button.setText(_tr("&Remove"))
        self.new_task_button.setText(_tr("Ne&w…"))
        self.open_task_button.setText(_tr("&Open…"))
        self.delete_task_button.setText(_tr("De&lete"))
        self._comments_label.setText(_tr("&Comments"))
        self.timestamp_button.setText(_tr("Add Timestamp"))
        self.timestamp_button.setToolTip(_tr("Insert the current date and time at the cursor"))
        for widget, name in (
            (self.name_edit, _tr("Project name")),
            (self.assigned_combo, _tr("Assigned to")),
            (self.type_combo, _tr("Project type")),
            (self.status_combo, _tr("Status")),
            (self.priority_combo, _tr("Priority")),
            (self.start_edit, _tr("Start date")),
            (self.due_edit, _tr("Due date")),
            (self.percent_spin, _tr("% complete")),
            (self.link_button, _tr("Link to")),
            (self.related_view, _tr("Related accounts and business contacts")),
            (self.task_view, _tr("Project tasks")),
            (self.comments_edit, _tr("Comments")),
            (self.history_view, _tr("Communication history")),
        ):
            widget.setAccessibleName(name)
        self._update_title()

    # -- loading and collecting ----------------------------------------------------------

    @property
    def project(self) -> BusinessProject:
        """The project as last loaded or saved (not what is typed now)."""
        return self._project

    @property
    def record_id(self) -> int | None:
        return self._project.id

    def _load(self, project: BusinessProject) -> None:
        self._project = project
        self.name_edit.setText(project.name)
        select_assignee(self.assigned_combo, project.assigned_to_id, self._services.lookups)
        select_data(self.type_combo, project.project_type_id)
        select_data(self.status_combo, project.status.value)
        select_data(self.priority_combo, project.priority.value)
        self.start_edit.set_value(project.start_date)
        self.due_edit.set_value(project.due_date)
        self.percent_spin.setValue(
            AUTOMATIC if project.percent_complete is None else project.percent_complete
        )
        self.comments_edit.setPlainText(project.comments)
        self._link = project.link
        self._show_link()
        self.refresh_related()
        self.refresh_tasks()
        self.refresh_history()
        self._baseline = self._collect()
        self._update_title()

    def _collect(self) -> BusinessProject:
        """The project as the form shows it now."""
        percent = self.percent_spin.value()
        comments = self.comments_edit.toPlainText()
        return replace(
            self._project,
            name=self.name_edit.text(),
            assigned_to_id=self.assigned_combo.currentData(),
            project_type_id=self.type_combo.currentData(),
            status=ProjectStatus(self.status_combo.currentData()),
            priority=Priority(self.priority_combo.currentData()),
            start_date=self.start_edit.value(),
            due_date=self.due_edit.value(),
            percent_complete=None if percent == AUTOMATIC else percent,
            comments=comments.rstrip("\n"),
            link=self._link,
        )

    def is_dirty(self) -> bool:
        return self._collect() != self._baseline

    def _user_names(self) -> dict[int, str]:
        # Removed users too: a task keeps showing who it was assigned to.
        return {user.id: user.name for user in self._services.lookups.all_users()}

    def refresh_tasks(self, select_id: int | None = None) -> None:
        project_id = self._project.id
        tasks = self._services.projects.tasks(project_id) if project_id is not None else []
        self.task_model.set_tasks(tasks, self._user_names())
        row = self.task_model.row_of(select_id)
        if row >= 0:
            self.task_view.selectRow(row)
        self._update_computed()
        self._update_buttons()

    def refresh_related(self) -> None:
        project_id = self._project.id
        records = self._services.projects.related(project_id) if project_id is not None else []
        self.related_model.set_records(records)
        self._update_buttons()

    def refresh_history(self) -> None:
        """The linked account's or contact's communication history, newest first."""
        link = self._project.link
        history = self._services.history
        if link is None:
            rows = []
        elif link.kind is LinkKind.ACCOUNT:
            rows = history.for_account(link.id)
        else:
            rows = history.for_contact(link.id)
        self.history_model.set_rows(rows)
        name = self._services.links.name_of(link) if link is not None else None
        self.history_caption.setText(
            _tr(
                "Communication history of {name} ({kind}), the record the project is linked to."
            ).format(name=name or "", kind=kind_name(link))
            if link is not None and name
            else _tr("The project is not linked to a record with history.")
        )

    # -- live behaviour ------------------------------------------------------------------

    def _task_row(self) -> int:
        return self.task_view.currentIndex().row()

    def _update_computed(self) -> None:
        computed = project_percent(None, self.task_model.tasks())
        if self.percent_spin.value() == AUTOMATIC:
            text = _tr("{percent} %, from {count} tasks").format(
                percent=computed, count=self.task_model.rowCount()
            )
        else:
            text = _tr("(the tasks say {percent} %)").format(percent=computed)
        self.computed_label.setText(text)

    def _update_buttons(self) -> None:
        has_task = 0 <= self._task_row() < self.task_model.rowCount()
        self.open_task_button.setEnabled(has_task)
        self.delete_task_button.setEnabled(has_task)
        row = self.related_view.currentIndex().row()
        self.remove_related_button.setEnabled(0 <= row < self.related_model.rowCount())

    def _update_title(self) -> None:
        name = self._project.name or _tr("Untitled")
        self.setWindowTitle(f"{name} — {_tr('Business Project')}")

    def _show_link(self) -> None:
        if self._link is None:
            self.link_label.setText(_tr("Not linked yet (required)"))
            return
        name = self._services.links.name_of(self._link) or _tr("(deleted record)")
        self.link_label.setText(f"{name} — {kind_name(self._link)}")

    def choose_link(self) -> None:
        """Link to: exactly one account or business contact (saved with the project)."""
        chosen = LinkDialog.ask(self, self._services.links, mode="link", current=self._link)
        if chosen is not None and chosen.record_ref is not None:
            self._link = chosen.record_ref
            self._show_link()

    def add_timestamp(self) -> None:
        """Insert the current date and time, in the user's locale, at the cursor."""
        stamp = QLocale().toString(QDateTime.currentDateTime(), QLocale.FormatType.ShortFormat)
        cursor = self.comments_edit.textCursor()
        cursor.insertText(f"{stamp} ")
        self.comments_edit.setTextCursor(cursor)
        self.tabs.setCurrentIndex(1)
        self.comments_edit.setFocus()

    # -- related records and tasks (saved at once) -----------------------------------------

    def add_related(self) -> None:
        project_id = self._project.id
        if project_id is None:
            return
        chosen = LinkDialog.ask(
            self, self._services.links, mode="link", title=_tr("Add a Related Record")
        )
        if chosen is None or chosen.record_ref is None:
            return
        try:
            records = self._services.projects.add_related(project_id, chosen.record_ref)
        except DomainError as error:
            show_error(self, error)
            return
        self.related_model.set_records(records)
        self._update_buttons()
        self.saved.emit(project_id)

    def remove_related(self) -> None:
        project_id = self._project.id
        record = self.related_model.record_at(self.related_view.currentIndex().row())
        if project_id is None or record is None:
            return
        try:
            records = self._services.projects.remove_related(project_id, record.ref)
        except DomainError as error:
            show_error(self, error)
            return
        self.related_model.set_records(records)
        self._update_buttons()
        self.saved.emit(project_id)

    def new_task(self) -> None:
        project_id = self._project.id
        if project_id is None:
            return
        task = self._services.projects.new_task(project_id)
        saved = ProjectTaskDialog.ask(self, self._services.projects, self._services.lookups, task)
        if saved is not None:
            self.refresh_tasks(saved.id)
            self.saved.emit(project_id)

    def open_task(self, row: int) -> None:
        task = self.task_model.task_at(row)
        if task is None or task.id is None:
            return
        try:
            current = self._services.projects.get_task(task.id)
        except DomainError as error:
            show_error(self, error)
            self.refresh_tasks()
            return
        saved = ProjectTaskDialog.ask(
            self, self._services.projects, self._services.lookups, current
        )
        if saved is not None:
            self.refresh_tasks(saved.id)
            self.saved.emit(task.project_id)

    def delete_task(self) -> None:
        task = self.task_model.task_at(self._task_row())
        if task is None or task.id is None:
            return
        answer = QMessageBox.question(
            self,
            _tr("Delete task"),
            _tr(
                "Delete the task “{subject}”? It goes to Deleted Items, where it can be restored."
            ).format(subject=task.subject),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self._services.projects.delete_task(task.id, task.version)
        except DomainError as error:
            show_error(self, error)
        self.refresh_tasks()
        self.saved.emit(task.project_id)

    # -- saving --------------------------------------------------------------------------

    def save(self) -> bool:
        """Save what the form shows. True when it was saved."""
        draft = self._collect()
        try:
            saved = self._services.projects.update(draft)
        except ValidationError as error:
            self._refuse(error)
            return False
        except ConflictError:
            return self._resolve_conflict(draft)
        except DomainError as error:
            show_error(self, error)
            return False
        self._load(saved)
        self.saved.emit(saved.id or 0)
        return True

    def save_and_close(self) -> None:
        if self.save():
            self.close()

    def _refuse(self, error: ValidationError) -> None:
        field_widgets: dict[str, QWidget] = {
            "name": self.name_edit,
            "link": self.link_button,
            "assigned_to": self.assigned_combo,
            "project_type_id": self.type_combo,
            "start_date": self.start_edit,
            "due_date": self.due_edit,
            "percent_complete": self.percent_spin,
            "comments": self.comments_edit,
        }
        QMessageBox.warning(self, _tr("Cannot save"), error.message)
        widget = field_widgets.get(error.field or "")
        if widget is not None:
            self.tabs.setCurrentIndex(1 if widget is self.comments_edit else 0)
            widget.setFocus()

    def _resolve_conflict(self, mine: BusinessProject) -> bool:
        try:
            theirs = self._services.projects.get(mine.id or 0)
        except NotFoundError as error:
            show_error(self, error)
            return False
        choice = ConflictDialog.ask(self, theirs.name, describe_differences(mine, theirs))
        if choice == RELOAD:
            self._load(theirs)
            return False
        if choice == KEEP_MINE:
            self._project = replace(self._project, version=theirs.version)
            return self.save()
        return False

    def delete_record(self) -> None:
        project = self._project
        if project.id is None:
            return
        answer = QMessageBox.question(
            self,
            _tr("Delete project"),
            _tr(
                "Delete the project “{name}” with its tasks? It goes to Deleted Items with them, "
                "where it can be restored."
            ).format(name=project.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self._services.projects.delete(project.id, project.version)
        except DomainError as error:
            show_error(self, error)
            return
        self.deleted.emit(project.id)
        self._baseline = self._collect()  # nothing left to save
        self.close()

    def reload(self) -> None:
        if self._project.id is not None:
            self._load(self._services.projects.get(self._project.id))

    def follow_list_edit(self, outcome: ListEditOutcome) -> None:
        """Another form's list editor changed the Project type list: refill the combo."""
        self.type_list.apply(outcome)

    def _follow_list_change(self, untouched: bool) -> None:
        """The project's type was removed in the list editor: without unsaved changes read
        the project again (it has the replacement and a new version)."""
        if not untouched:
            return
        if self._project.id is None:
            self._baseline = self._collect()
            return
        try:
            self.reload()
        except DomainError as error:
            show_error(self, error)

    # -- closing -------------------------------------------------------------------------

    def ask_unsaved(self) -> str:
        """Save / Discard / Cancel for unsaved changes."""
        answer = QMessageBox.question(
            self,
            _tr("Unsaved changes"),
            _tr("Save the changes to “{name}”?").format(
                name=self.name_edit.text() or _tr("Untitled")
            ),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        return {
            QMessageBox.StandardButton.Save: SAVE,
            QMessageBox.StandardButton.Discard: DISCARD,
        }.get(answer, CANCEL)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.is_dirty():
            choice = self.ask_unsaved()
            if choice == CANCEL or (choice == SAVE and not self.save()):
                event.ignore()
                return
        QSettings().setValue(GEOMETRY_KEY, self.saveGeometry())
        self.form_closed.emit(self)
        super().closeEvent(event)


FIELD_LABELS = {
    "name": "Project name",
    "link": "Link to",
    "assigned_to_id": "Assigned to",
    "project_type_id": "Project type",
    "status": "Status",
    "priority": "Priority",
    "start_date": "Start date",
    "due_date": "Due date",
    "percent_complete": "% complete",
    "comments": "Comments",
}


def _describe(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return formatting.short_date(value)
    if isinstance(value, RecordRef):
        return f"{kind_name(value)} #{value.id}"
    if isinstance(value, ProjectStatus):
        return project_status_label(value)
    if isinstance(value, Priority):
        return priority_label(value)
    text = str(value)
    return text if len(text) <= 200 else text[:200] + "…"


def describe_differences(
    mine: BusinessProject, theirs: BusinessProject
) -> list[tuple[str, str, str]]:
    """(field, mine, theirs) for every field that differs."""
    return [
        (_tr(label), _describe(getattr(mine, name)), _describe(getattr(theirs, name)))
        for name, label in FIELD_LABELS.items()
        if getattr(mine, name) != getattr(theirs, name)
    ]
