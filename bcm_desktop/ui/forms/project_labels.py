"""Display names of the project and task choices (status, priority), translated."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox

from ...domain.enums import Priority, ProjectStatus, TaskStatus


def _tr(text: str) -> str:
    return QCoreApplication.translate("ProjectLabels", text)


def project_status_label(status: ProjectStatus) -> str:
    return {
        ProjectStatus.NOT_STARTED: _tr("Not started"),
        ProjectStatus.IN_PROGRESS: _tr("In progress"),
        ProjectStatus.ON_HOLD: _tr("On hold"),
        ProjectStatus.COMPLETED: _tr("Completed"),
        ProjectStatus.CANCELLED: _tr("Cancelled"),
    }[status]


def task_status_label(status: TaskStatus) -> str:
    return {
        TaskStatus.NOT_STARTED: _tr("Not started"),
        TaskStatus.IN_PROGRESS: _tr("In progress"),
        TaskStatus.WAITING: _tr("Waiting on someone else"),
        TaskStatus.DEFERRED: _tr("Deferred"),
        TaskStatus.COMPLETED: _tr("Completed"),
    }[status]


def priority_label(priority: Priority) -> str:
    return {
        Priority.LOW: _tr("Low"),
        Priority.NORMAL: _tr("Normal"),
        Priority.HIGH: _tr("High"),
    }[priority]


def fill_enum_combo(combo: QComboBox, kind: type[ProjectStatus | TaskStatus | Priority]) -> None:
    """Fill ``combo`` with every value of ``kind`` (its data) under its display name."""
    label = {
        ProjectStatus: project_status_label,
        TaskStatus: task_status_label,
        Priority: priority_label,
    }[kind]
    combo.clear()
    for value in kind:
        combo.addItem(label(value), value.value)  # type: ignore[arg-type]


def fill_user_combo(combo: QComboBox, users: list[tuple[int, str]], empty: str = "") -> None:
    """``(id, name)`` pairs as choices, after an empty choice meaning "nobody"."""
    combo.clear()
    combo.addItem(empty, None)
    for user_id, name in users:
        combo.addItem(name, user_id)


def select_data(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    combo.setCurrentIndex(index if index >= 0 else 0)
