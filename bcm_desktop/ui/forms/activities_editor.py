"""The sales activities of one opportunity on its form: a Completed check box per activity.

The list is the activities of the record's stage in the stage's order, with the due date
(the day the record entered the stage plus the activity's duration). When the owner turned
on reminders for activities with a duration (S-5.6), a Reminder column shows when each
open activity is due, and an overdue one is marked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QVBoxLayout, QWidget

from ...domain.activities import OpportunityActivity
from .. import formatting
from ..widgets.column_model import ColumnTableModel, ModelIndex

ACTIVITY, DUE, REMINDER = range(3)
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
OVERDUE = QColor("#b00020")


def _tr(text: str) -> str:
    return QCoreApplication.translate("ActivitiesEditor", text)


class ActivitiesModel(ColumnTableModel):
    """The activities as rows; column 0 carries the user-checkable Completed state."""

    _ALIGNMENT = (LEFT, RIGHT, LEFT)
    completed_changed = Signal()

    def __init__(self, today: Callable[[], date] = date.today, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[OpportunityActivity] = []
        self._today = today
        self.read_only = False
        self.reminders = False

    def _headers(self) -> tuple[str, ...]:
        return (_tr("Completed / activity"), _tr("Due"), _tr("Reminder"))

    def set_activities(self, activities: list[OpportunityActivity], reminders: bool) -> None:
        self.beginResetModel()
        try:
            self._rows = list(activities)
            self.reminders = reminders
        finally:
            self.endResetModel()

    def activities(self) -> list[OpportunityActivity]:
        return list(self._rows)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == ACTIVITY and not self.read_only:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def _reminder(self, activity: OpportunityActivity) -> str:
        """When an open activity with a duration is due, relative to today."""
        if not self.reminders or activity.completed or activity.due_date is None:
            return ""
        days = (activity.due_date - self._today()).days
        if days < 0:
            return _tr("Overdue by {days} d").format(days=-days)
        if days == 0:
            return _tr("Due today")
        if days == 1:
            return _tr("Due tomorrow")
        return _tr("Due in {days} d").format(days=days)

    def _duration(self, activity: OpportunityActivity) -> str:
        days = activity.duration_days
        if days is None:
            return _tr("No duration")
        return _tr("1 day") if days == 1 else _tr("{days} days").format(days=days)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        activity = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == ACTIVITY:
                return activity.name
            if column == DUE:
                return formatting.short_date(activity.due_date)
            return self._reminder(activity)
        if role == Qt.ItemDataRole.CheckStateRole and column == ACTIVITY:
            return Qt.CheckState.Checked if activity.completed else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(self._ALIGNMENT[column].value)
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and column == REMINDER
            and self._reminder(activity)
            and activity.due_date is not None
            and activity.due_date < self._today()
        ):
            return QBrush(OVERDUE)
        if role == Qt.ItemDataRole.ToolTipRole and column == ACTIVITY:
            return _tr("{name} ({duration}). Tick it when it is completed.").format(
                name=activity.name, duration=self._duration(activity)
            )
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            self.read_only
            or not index.isValid()
            or index.column() != ACTIVITY
            or role != Qt.ItemDataRole.CheckStateRole
        ):
            return False
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2)
        row = index.row()
        self._rows[row] = replace(self._rows[row], completed=checked)
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        self.completed_changed.emit()
        return True


class ActivitiesEditor(QWidget):
    """The activities table of the form's "Sales stage and activities" group."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, today: Callable[[], date] = date.today):
        super().__init__(parent)
        self.model = ActivitiesModel(today, self)
        self.view = QTableView(self)
        self.view.setObjectName("activitiesTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(ACTIVITY, QHeaderView.ResizeMode.Stretch)
        for column in (DUE, REMINDER):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.view.setAccessibleName(_tr("Sales activities"))
        self.view.setMinimumHeight(120)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.model.completed_changed.connect(self.changed)

    def set_activities(self, activities: list[OpportunityActivity], reminders: bool) -> None:
        self.model.set_activities(activities, reminders)
        self.view.setColumnHidden(REMINDER, not reminders)

    def activities(self) -> list[OpportunityActivity]:
        return self.model.activities()

    def set_read_only(self, read_only: bool) -> None:
        self.model.beginResetModel()
        try:
            self.model.read_only = read_only
        finally:
            self.model.endResetModel()
