"""A database open read-only: say so in the status bar and turn off every editing command."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

if TYPE_CHECKING:
    from .main_window import MainWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReadOnly", text)


def read_only_message(name: str, reason: str) -> str:
    return _tr(
        "“{name}” was opened read-only because {reason}; changes cannot be saved. "
        "You can read, search and print, and back it up elsewhere."
    ).format(name=name, reason=reason)


def apply_read_only(window: MainWindow, reason: str) -> None:
    """Disable New, Customize (catalog, sales stages) and Restore; show "Read-only" in the
    status bar.

    The composition root already leaves out the bulk actions (Assign, Close, Categorize,
    Delete) and tells forms and Deleted Items; the services refuse writes in any case.
    """
    tip = _tr("The database is read-only because {reason}.").format(reason=reason)
    writing = [window.new_opportunity_action, window.catalog_action, window.restore_action]
    writing += [window.stages_action]
    projects = getattr(window, "projects", None)  # Project Management, when it is built
    if projects is not None:
        writing += [*projects.actions_new, *projects.actions_templates]
    for action in writing:
        action.setEnabled(False)
        action.setToolTip(tip)
    label = QLabel(_tr("Read-only"), window)
    label.setObjectName("readOnlyStatus")
    label.setToolTip(tip)
    label.setAccessibleName(_tr("Read-only database"))
    label.setStyleSheet("color: #a33; font-weight: bold; padding: 0 8px")
    window.statusBar().addPermanentWidget(label)
    window.read_only_label = label


def tell_read_only(parent: QWidget | None, name: str, reason: str) -> None:
    """The one message a user gets when a database opens read-only."""
    QMessageBox.information(parent, _tr("Opened read-only"), read_only_message(name, reason))
