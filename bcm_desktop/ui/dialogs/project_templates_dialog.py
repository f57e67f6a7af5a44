"""Project templates: the list of templates, and the editor of one template's name and tasks.

A template is a name and an ordered list of tasks, each starting a number of days after the
project's start date and lasting a number of days. Edits apply to the template shown on the
right: Save (Ctrl+S) stores them; choosing another template or closing the dialog saves them
first, and a refusal keeps the edited template on screen. Delete Template drops a new template
that was never saved.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSettings,
    Qt,
)
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import DomainError, ValidationError
from ...domain.projects import MAX_TEMPLATE_DAYS, ProjectTemplate, TemplateTask
from ...services.projects import TemplateService
from ..errors import show_error
from ..widgets.column_model import ColumnTableModel
from ..widgets.single_line import keep_on_one_line

ModelIndex = QModelIndex | QPersistentModelIndex
GEOMETRY_KEY = "dialogs/projectTemplatesGeometry"

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _tr(text: str) -> str:
    return QCoreApplication.translate("ProjectTemplatesDialog", text)


class TemplateListModel(QAbstractListModel):
    """The saved templates by name; ``UserRole`` is the template."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._templates: list[ProjectTemplate] = []

    def set_templates(self, templates: list[ProjectTemplate]) -> None:
        self.beginResetModel()
        try:
            self._templates = list(templates)
        finally:
            self.endResetModel()

    def template_at(self, row: int) -> ProjectTemplate | None:
        return self._templates[row] if 0 <= row < len(self._templates) else None

    def row_of(self, template_id: int | None) -> int:
        return next((n for n, t in enumerate(self._templates) if t.id == template_id), -1)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._templates)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        template = self.template_at(index.row()) if index.isValid() else None
        if template is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return template.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tr("{count} tasks").format(count=len(template.tasks))
        if role == Qt.ItemDataRole.UserRole:
            return template
        return None


class TemplateTaskModel(ColumnTableModel):
    """The tasks of the template being edited: subject, start after and duration, editable."""

    SUBJECT, OFFSET, DURATION = range(3)
    _ALIGNMENT = (_LEFT, _RIGHT, _RIGHT)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks: list[TemplateTask] = []

    def _headers(self) -> tuple[str, ...]:
        return (_tr("Task subject"), _tr("Starts after (days)"), _tr("Duration (days)"))

    def set_tasks(self, tasks: list[TemplateTask]) -> None:
        self.beginResetModel()
        try:
            self._tasks = list(tasks)
        finally:
            self.endResetModel()

    def tasks(self) -> list[TemplateTask]:
        return list(self._tasks)

    def add_task(self, task: TemplateTask) -> int:
        row = len(self._tasks)
        self.beginInsertRows(QModelIndex(), row, row)
        try:
            self._tasks.append(task)
        finally:
            self.endInsertRows()
        return row

    def remove_task(self, row: int) -> None:
        if not 0 <= row < len(self._tasks):
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        try:
            del self._tasks[row]
        finally:
            self.endRemoveRows()

    def move_task(self, row: int, step: int) -> int:
        """Move the task at ``row`` up (-1) or down (+1); its new row."""
        target = row + step
        if not (0 <= row < len(self._tasks) and 0 <= target < len(self._tasks)):
            return row
        # Qt's moveRows wants the destination *before which* the row lands.
        destination = target + 1 if step > 0 else target
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
        try:
            self._tasks[row], self._tasks[target] = self._tasks[target], self._tasks[row]
        finally:
            self.endMoveRows()
        return target

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._tasks)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._tasks):
            return None
        task = self._tasks[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return (task.subject, task.start_offset_days, task.duration_days)[column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(self._ALIGNMENT[column].value)
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        task = self._tasks[index.row()]
        column = index.column()
        if column == self.SUBJECT:
            task = replace(task, subject=str(value))
        else:
            try:
                days = int(value)
            except (TypeError, ValueError):
                return False
            if not 0 <= days <= MAX_TEMPLATE_DAYS:
                return False
            field = "start_offset_days" if column == self.OFFSET else "duration_days"
            task = replace(task, **{field: days})
        self._tasks[index.row()] = task
        self.dataChanged.emit(index, index)
        return True

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable


class DaysDelegate(QStyledItemDelegate):
    """Edits a template task's day count in a spin box that takes only the days a template
    allows (0 to :data:`MAX_TEMPLATE_DAYS`), so out-of-range typing is refused as it is typed
    rather than silently undone on Enter."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: ModelIndex
    ) -> QWidget:
        editor = QSpinBox(parent)
        editor.setFrame(False)
        editor.setRange(0, MAX_TEMPLATE_DAYS)
        editor.setAlignment(_RIGHT)
        editor.setToolTip(_tr("From 0 to {days} days").format(days=MAX_TEMPLATE_DAYS))
        return editor


class ProjectTemplatesDialog(QDialog):
    """Add, edit and delete project templates. Run it with :meth:`ask`."""

    def __init__(self, templates: TemplateService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("projectTemplatesDialog")
        self.setWindowTitle(_tr("Project Templates"))
        self._service = templates
        self._editing: ProjectTemplate | None = None
        self._baseline: tuple[str, list[TemplateTask]] = ("", [])
        self.changed = False  # whether anything was saved or deleted

        # left: the templates
        self.list_model = TemplateListModel(self)
        self.list_view = QListView(self)
        self.list_view.setObjectName("templateList")
        self.list_view.setModel(self.list_model)
        self.list_view.setAccessibleName(_tr("Templates"))
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.new_button = QPushButton(_tr("&New Template"), self)
        self.new_button.setObjectName("newTemplate")
        self.new_button.clicked.connect(self.new_template)
        self.delete_button = QPushButton(_tr("&Delete Template"), self)
        self.delete_button.setObjectName("deleteTemplate")
        self.delete_button.clicked.connect(self.delete_template)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        caption = QLabel(_tr("&Templates:"), left)
        caption.setBuddy(self.list_view)
        left_layout.addWidget(caption)
        left_layout.addWidget(self.list_view, 1)
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.delete_button)
        left_layout.addLayout(row)

        # right: the template being edited
        self.editor_box = QGroupBox(_tr("Template"), self)
        self.editor_box.setObjectName("templateEditor")
        self.name_edit = QLineEdit(self.editor_box)
        keep_on_one_line(self.name_edit)
        self.name_edit.setObjectName("templateName")
        self.name_edit.setMaxLength(255)
        self.name_edit.setAccessibleName(_tr("Template name"))
        self.task_model = TemplateTaskModel(self)
        self.task_view = QTableView(self.editor_box)
        self.task_view.setObjectName("templateTasks")
        self.task_view.setModel(self.task_model)
        self.task_view.setAccessibleName(_tr("Template tasks"))
        self.task_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.task_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.task_view.verticalHeader().setVisible(False)
        self.days_delegate = DaysDelegate(self.task_view)
        for column in (TemplateTaskModel.OFFSET, TemplateTaskModel.DURATION):
            self.task_view.setItemDelegateForColumn(column, self.days_delegate)
        header = self.task_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.add_task_button = QPushButton(_tr("&Add Task"), self.editor_box)
        self.add_task_button.setObjectName("addTemplateTask")
        self.add_task_button.clicked.connect(self.add_task)
        self.remove_task_button = QPushButton(_tr("&Remove Task"), self.editor_box)
        self.remove_task_button.setObjectName("removeTemplateTask")
        self.remove_task_button.clicked.connect(self.remove_task)
        self.up_button = QPushButton(_tr("Move &Up"), self.editor_box)
        self.up_button.setObjectName("moveTemplateTaskUp")
        self.up_button.clicked.connect(lambda: self.move_task(-1))
        self.down_button = QPushButton(_tr("Move Do&wn"), self.editor_box)
        self.down_button.setObjectName("moveTemplateTaskDown")
        self.down_button.clicked.connect(lambda: self.move_task(1))
        self.save_button = QPushButton(_tr("&Save Template"), self.editor_box)
        self.save_button.setObjectName("saveTemplate")
        self.save_button.setToolTip(_tr("Save this template (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        remove_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.task_view)
        remove_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        remove_key.activated.connect(self.remove_task)
        form = QFormLayout()
        form.addRow(_tr("Template &name:"), self.name_edit)
        buttons = QHBoxLayout()
        for button in (
            self.add_task_button,
            self.remove_task_button,
            self.up_button,
            self.down_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        editor = QVBoxLayout(self.editor_box)
        editor.addLayout(form)
        tasks_caption = QLabel(_tr("Tas&ks (dated from the project's start date):"), self)
        tasks_caption.setBuddy(self.task_view)
        editor.addWidget(tasks_caption)
        editor.addWidget(self.task_view, 1)
        editor.addLayout(buttons)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.editor_box)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([200, 480])
        self.close_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.close_box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.close_box)

        self.list_view.selectionModel().currentChanged.connect(self._on_current_changed)
        self.task_view.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())
        self.resize(760, 440)
        geometry = QSettings().value(GEOMETRY_KEY)
        if geometry is not None:
            self.restoreGeometry(geometry)
        self.reload()

    # -- state ---------------------------------------------------------------------------

    def reload(self, select_id: int | None = None) -> None:
        try:
            templates = self._service.all()
        except DomainError as error:
            show_error(self, error)
            templates = []
        self.list_view.selectionModel().blockSignals(True)
        self.list_model.set_templates(templates)
        self.list_view.selectionModel().blockSignals(False)
        row = self.list_model.row_of(select_id) if select_id is not None else -1
        if row < 0 and templates and select_id is None:
            row = 0
        if row >= 0:
            self._select_row(row)
            self._show(self.list_model.template_at(row))
        else:
            self._show(None)

    def _select_row(self, row: int) -> None:
        selection = self.list_view.selectionModel()
        selection.blockSignals(True)
        selection.setCurrentIndex(
            self.list_model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        selection.blockSignals(False)

    def _show(self, template: ProjectTemplate | None) -> None:
        self._editing = template
        self.name_edit.setText(template.name if template else "")
        self.task_model.set_tasks(template.tasks if template else [])
        self._baseline = self._current()
        self._update_buttons()

    def _current(self) -> tuple[str, list[TemplateTask]]:
        return (self.name_edit.text(), self.task_model.tasks())

    def is_dirty(self) -> bool:
        self._commit_cell_editor()
        return self._editing is not None and self._current() != self._baseline

    def _update_buttons(self) -> None:
        editing = self._editing is not None
        row = self.task_view.currentIndex().row()
        count = self.task_model.rowCount()
        self.editor_box.setEnabled(editing)
        # A new, unsaved template can be dropped too: closing would otherwise save it.
        self.delete_button.setEnabled(editing)
        self.remove_task_button.setEnabled(0 <= row < count)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < count - 1)

    # -- actions -------------------------------------------------------------------------

    def _on_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        clicked = self.list_model.template_at(current.row())
        if self.is_dirty() and not self.save(select_after=False):
            if previous.isValid():
                self._select_row(previous.row())
            else:
                self.list_view.selectionModel().blockSignals(True)
                self.list_view.selectionModel().clearSelection()
                self.list_view.selectionModel().blockSignals(False)
            return
        # Saving re-sorts the list (a new or renamed template): find the clicked one again.
        row = self.list_model.row_of(clicked.id) if clicked is not None else -1
        if row >= 0:
            self._select_row(row)
        self._show(self.list_model.template_at(row))

    def new_template(self) -> None:
        """Start an unsaved template; it appears in the list once saved."""
        if self.is_dirty() and not self.save(select_after=False):
            return
        self.list_view.selectionModel().blockSignals(True)
        self.list_view.selectionModel().clear()
        self.list_view.selectionModel().blockSignals(False)
        self._show(ProjectTemplate(name=""))
        self.name_edit.setFocus()

    def add_task(self) -> None:
        row = self.task_model.add_task(TemplateTask(_tr("New task"), 0, 1))
        index = self.task_model.index(row, TemplateTaskModel.SUBJECT)
        self.task_view.setCurrentIndex(index)
        self.task_view.edit(index)
        self._update_buttons()

    def remove_task(self) -> None:
        self.task_model.remove_task(self.task_view.currentIndex().row())
        self._update_buttons()

    def move_task(self, step: int) -> None:
        row = self.task_model.move_task(self.task_view.currentIndex().row(), step)
        self.task_view.setCurrentIndex(self.task_model.index(row, TemplateTaskModel.SUBJECT))
        self._update_buttons()

    def _commit_cell_editor(self) -> None:
        """A cell still being typed in counts: Ctrl+S must not lose it."""
        editor = QApplication.focusWidget()
        if editor is not None and self.task_view.isAncestorOf(editor):
            self.task_view.commitData(editor)
            self.task_view.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def save(self, select_after: bool = True) -> bool:
        """Store the template being edited; True when it was saved (or had no changes)."""
        if self._editing is None:
            return True
        self._commit_cell_editor()
        draft = replace(self._editing, name=self.name_edit.text(), tasks=self.task_model.tasks())
        if draft.id is not None and not self.is_dirty():
            return True
        try:
            saved = self._service.create(draft) if draft.id is None else self._service.update(draft)
        except ValidationError as error:
            QMessageBox.warning(self, _tr("Cannot save the template"), error.message)
            (self.name_edit if error.field == "name" else self.task_view).setFocus()
            return False
        except DomainError as error:
            show_error(self, error)
            return False
        self.changed = True
        if select_after:
            self.reload(saved.id)
        else:
            self._editing = saved
            self._baseline = self._current()
            current = self.list_model.template_at(
                self.list_view.selectionModel().currentIndex().row()
            )
            self.list_view.selectionModel().blockSignals(True)
            self.list_model.set_templates(self._service.all())
            self.list_view.selectionModel().blockSignals(False)
            keep = self.list_model.row_of(current.id) if current is not None else -1
            if keep >= 0:
                self._select_row(keep)
        return True

    def delete_template(self) -> None:
        template = self._editing
        if template is None:
            return
        if template.id is None:
            self._editing = None  # never saved: nothing to ask about or delete
            self.reload()
            return
        answer = QMessageBox.question(
            self,
            _tr("Delete template"),
            _tr("Delete the template “{name}”? Projects made from it keep their tasks.").format(
                name=template.name
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self._service.delete(template.id, template.version)
        except DomainError as error:
            show_error(self, error)
            return
        self.changed = True
        self._editing = None
        self.reload()

    def reject(self) -> None:
        """Close: unsaved edits are saved first; a refusal keeps the dialog open."""
        if self.is_dirty() and not self.save(select_after=False):
            return
        QSettings().setValue(GEOMETRY_KEY, self.saveGeometry())
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.is_dirty() and not self.save(select_after=False):
            event.ignore()
            return
        QSettings().setValue(GEOMETRY_KEY, self.saveGeometry())
        super().closeEvent(event)

    @classmethod
    def ask(cls, parent: QWidget | None, templates: TemplateService) -> bool:
        """Run the dialog; True when a template was saved or deleted."""
        dialog = cls(templates, parent)
        try:
            dialog.exec()
            return dialog.changed
        finally:
            dialog.deleteLater()
