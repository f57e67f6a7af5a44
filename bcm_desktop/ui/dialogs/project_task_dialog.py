"""The small Project Task dialog: subject, assigned to, status, priority, dates, % complete.

OK saves the task through the project service; a refusal is shown and the dialog stays open
with what was typed, the offending field focused.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...domain.enums import Priority, TaskStatus
from ...domain.errors import DomainError, ValidationError
from ...domain.projects import ProjectTask
from ...services.lookups import Lookups
from ...services.projects import ProjectService
from ..errors import show_error
from ..forms.assignee import select_assignee
from ..forms.project_labels import fill_enum_combo, fill_user_combo, select_data
from ..widgets.dates import OptionalDateEdit
from ..widgets.single_line import keep_on_one_line

GEOMETRY_KEY = "dialogs/projectTaskGeometry"


def _tr(text: str) -> str:
    return QCoreApplication.translate("ProjectTaskDialog", text)


class ProjectTaskDialog(QDialog):
    """Edits one project task, new or saved. Run it with :meth:`ask`."""

    def __init__(
        self,
        projects: ProjectService,
        lookups: Lookups,
        task: ProjectTask,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("projectTaskDialog")
        self._projects = projects
        self._task = task
        self._lookups = lookups
        self.saved_task: ProjectTask | None = None

        self.subject_edit = QLineEdit(self)
        keep_on_one_line(self.subject_edit)
        self.subject_edit.setObjectName("taskSubject")
        self.subject_edit.setMaxLength(255)
        self.assigned_combo = QComboBox(self)
        self.assigned_combo.setObjectName("taskAssignedTo")
        fill_user_combo(self.assigned_combo, [(u.id, u.name) for u in lookups.users()])
        self.status_combo = QComboBox(self)
        self.status_combo.setObjectName("taskStatus")
        fill_enum_combo(self.status_combo, TaskStatus)
        self.priority_combo = QComboBox(self)
        self.priority_combo.setObjectName("taskPriority")
        fill_enum_combo(self.priority_combo, Priority)
        self.start_edit = OptionalDateEdit(self)
        self.start_edit.setObjectName("taskStartDate")
        self.due_edit = OptionalDateEdit(self)
        self.due_edit.setObjectName("taskDueDate")
        self.percent_spin = QSpinBox(self)
        self.percent_spin.setObjectName("taskPercentComplete")
        self.percent_spin.setRange(0, 100)
        self.percent_spin.setSuffix(" %")
        self.comments_edit = QPlainTextEdit(self)
        self.comments_edit.setObjectName("taskComments")
        self.comments_edit.setTabChangesFocus(True)

        form = QFormLayout()
        form.addRow(_tr("&Subject:"), self.subject_edit)
        form.addRow(_tr("&Assigned to:"), self.assigned_combo)
        form.addRow(_tr("S&tatus:"), self.status_combo)
        form.addRow(_tr("&Priority:"), self.priority_combo)
        form.addRow(_tr("Start &date:"), self.start_edit)
        form.addRow(_tr("D&ue date:"), self.due_edit)
        form.addRow(_tr("% &complete:"), self.percent_spin)
        form.addRow(_tr("C&omments:"), self.comments_edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        for widget, name in (
            (self.subject_edit, _tr("Subject")),
            (self.assigned_combo, _tr("Assigned to")),
            (self.status_combo, _tr("Status")),
            (self.priority_combo, _tr("Priority")),
            (self.start_edit, _tr("Start date")),
            (self.due_edit, _tr("Due date")),
            (self.percent_spin, _tr("% complete")),
            (self.comments_edit, _tr("Comments")),
        ):
            widget.setAccessibleName(name)

        self._load(task)
        # The % complete a task had before it was marked completed here, to give back when
        # it is no longer completed (a stored completed task had none: it goes back to 0).
        self._percent_before_completed = 0 if task.status is TaskStatus.COMPLETED else None
        self.status_combo.currentIndexChanged.connect(self._on_status)
        self.percent_spin.valueChanged.connect(self._on_percent)
        self.setWindowTitle(
            _tr("Project Task: {subject}").format(subject=task.subject)
            if task.id is not None
            else _tr("New Project Task")
        )
        self.resize(440, 380)
        geometry = QSettings().value(GEOMETRY_KEY)
        if geometry is not None:
            self.restoreGeometry(geometry)

    def _load(self, task: ProjectTask) -> None:
        self.subject_edit.setText(task.subject)
        select_assignee(self.assigned_combo, task.assigned_to_id, self._lookups)
        select_data(self.status_combo, task.status.value)
        select_data(self.priority_combo, task.priority.value)
        self.start_edit.set_value(task.start_date)
        self.due_edit.set_value(task.due_date)
        self.percent_spin.setValue(task.percent_complete)
        self.comments_edit.setPlainText(task.comments)

    def task(self) -> ProjectTask:
        """The task as the dialog shows it now."""
        return replace(
            self._task,
            subject=self.subject_edit.text(),
            assigned_to_id=self.assigned_combo.currentData(),
            status=TaskStatus(self.status_combo.currentData()),
            priority=Priority(self.priority_combo.currentData()),
            start_date=self.start_edit.value(),
            due_date=self.due_edit.value(),
            percent_complete=self.percent_spin.value(),
            comments=self.comments_edit.toPlainText(),
        )

    def _on_status(self, _index: int) -> None:
        if self.status_combo.currentData() == TaskStatus.COMPLETED.value:
            if self.percent_spin.value() < 100:
                self._percent_before_completed = self.percent_spin.value()
            self.percent_spin.setValue(100)
        elif self.percent_spin.value() == 100:
            # A task at 100 % is completed: left there, the status just chosen would be
            # overruled on save. It goes back to where it was before it was completed.
            before = self._percent_before_completed
            self.percent_spin.blockSignals(True)
            self.percent_spin.setValue(before if before is not None and before < 100 else 0)
            self.percent_spin.blockSignals(False)

    def _on_percent(self, value: int) -> None:
        if value == 100:
            select_data(self.status_combo, TaskStatus.COMPLETED.value)
        elif self.status_combo.currentData() == TaskStatus.COMPLETED.value:
            # A completed task is 100 %: left on Completed, the percentage just typed would
            # be overruled on save. Below 100 % the task is open again.
            status = TaskStatus.NOT_STARTED if value == 0 else TaskStatus.IN_PROGRESS
            self.status_combo.blockSignals(True)
            select_data(self.status_combo, status.value)
            self.status_combo.blockSignals(False)

    def accept(self) -> None:
        draft = self.task()
        try:
            saved = (
                self._projects.add_task(draft)
                if draft.id is None
                else self._projects.update_task(draft)
            )
        except ValidationError as error:
            QMessageBox.warning(self, _tr("Cannot save"), error.message)
            widget = {
                "subject": self.subject_edit,
                "assigned_to": self.assigned_combo,
                "start_date": self.start_edit,
                "due_date": self.due_edit,
                "percent_complete": self.percent_spin,
                "comments": self.comments_edit,
            }.get(error.field or "")
            if widget is not None:
                widget.setFocus()
            return
        except DomainError as error:
            show_error(self, error)
            return
        self.saved_task = saved
        self._remember()
        super().accept()

    def reject(self) -> None:
        self._remember()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._remember()
        super().closeEvent(event)

    def _remember(self) -> None:
        QSettings().setValue(GEOMETRY_KEY, self.saveGeometry())

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        projects: ProjectService,
        lookups: Lookups,
        task: ProjectTask,
    ) -> ProjectTask | None:
        """Run the dialog; the saved task, or ``None`` when cancelled."""
        dialog = cls(projects, lookups, task, parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.saved_task
            return None
        finally:
            dialog.deleteLater()
