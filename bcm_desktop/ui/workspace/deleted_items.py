"""The Deleted Items folder: deleted records with Restore, Delete Permanently and Empty."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox, QStyle, QVBoxLayout, QWidget

from ...domain.enums import HistoryKind
from ...domain.errors import DomainError
from ...domain.listing import RecordOrder, RecordRow
from ...services.deleted_items import HISTORY_PREFIX, DeletedItemsService, RestoreResult
from .. import formatting
from ..errors import show_error
from ..forms.history_items import kind_name
from ..workers import BackgroundTask
from .records import RecordListView, RecordSource, count_text, value_column
from .table_model import Column

SETTINGS_PREFIX = "deletedItems"


def _tr(text: str) -> str:
    return QCoreApplication.translate("DeletedItemsWorkspace", text)


def _kind(value: Any) -> str:
    kind = str(value)
    names = {
        "opportunity": _tr("Opportunity"),
        "account": _tr("Account"),
        "contact": _tr("Business contact"),
        "project": _tr("Business project"),
        "project_task": _tr("Project task"),
        "marketing_activity": _tr("Marketing activity"),
    }
    if kind.startswith(HISTORY_PREFIX):
        try:
            return kind_name(HistoryKind(kind.removeprefix(HISTORY_PREFIX)))
        except ValueError:
            return kind
    return names.get(kind, kind)


def _with_it(kind: Any, value: Any) -> str:
    """What an account or contact (its opportunities) or a business project (its tasks) took
    with it; "" for the kinds that take nothing listed along."""
    if value is None:
        return ""
    if kind == "project":
        if value == 0:
            return _tr("No tasks")
        return count_text(int(value), _tr("1 task"), _tr("{count} tasks"))
    if value == 0:
        return _tr("No opportunities")
    return count_text(int(value), _tr("1 opportunity"), _tr("{count} opportunities"))


def _when(value: Any) -> str:
    return formatting.short_datetime(value) if isinstance(value, datetime) else ""


def _columns() -> list[Any]:
    return [
        value_column(0, "kind", lambda: _tr("Kind"), _kind),
        value_column(1, "title", lambda: _tr("Title")),
        value_column(2, "deleted_at", lambda: _tr("Deleted on"), _when),
        value_column(3, "deleted_by", lambda: _tr("Deleted by")),
        # Last, so a list layout saved before this column existed still fits.
        # Its key predates projects: a saved layout keeps referring to it.
        Column[RecordRow](
            "opportunities",
            lambda: _tr("Deleted with it"),
            lambda row: _with_it(row.values[0], row.values[4]),
        ),
    ]


class DeletedItemsWorkspace(QWidget):
    """The list of Deleted Items; its actions go on the ribbon's Home tab."""

    status_changed = Signal(str)
    #: Records were restored: lists of those records should read again.
    records_restored = Signal()

    def __init__(
        self,
        source: RecordSource,
        service: DeletedItemsService,
        parent: QWidget | None = None,
        *,
        is_owner: bool = False,
        read_only: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("deletedItemsWorkspace")
        self._service = service
        self._is_owner = is_owner
        self._read_only = read_only
        self._tasks: list[BackgroundTask] = []
        self.list = RecordListView(
            source,
            _columns(),
            RecordOrder("deleted_at", descending=True),
            self,
            object_name="deletedItems",
            noun=lambda n: count_text(n, _tr("1 deleted item"), _tr("{count} deleted items")),
            widths={
                "kind": 140,
                "title": 300,
                "deleted_at": 150,
                "deleted_by": 160,
                "opportunities": 140,
            },
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)

        style = self.style()
        self.restore_action = self._action(
            "restoreDeleted",
            style.standardIcon(QStyle.StandardPixmap.SP_BrowserReload),
            self.restore_selected,
            QKeySequence("Ctrl+Shift+R"),
        )
        self.delete_action = self._action(
            "deletePermanently",
            style.standardIcon(QStyle.StandardPixmap.SP_TrashIcon),
            self.delete_selected,
            QKeySequence("Shift+Del"),
        )
        self.empty_action = self._action(
            "emptyDeletedItems",
            style.standardIcon(QStyle.StandardPixmap.SP_DialogDiscardButton),
            self.empty,
        )
        table = self.list.view
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        table.addActions([self.restore_action, self.delete_action])
        self.list.status_changed.connect(self._on_status)
        table.selectionModel().selectionChanged.connect(self._update_actions)
        self.list.model.modelReset.connect(self._update_actions)
        self.retranslate_ui()
        self._update_actions()

    def _action(
        self,
        name: str,
        icon: Any,
        slot: Callable[[], None],
        shortcut: QKeySequence | None = None,
    ) -> QAction:
        action = QAction(icon, "", self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        action.triggered.connect(slot)
        return action

    def actions_for_ribbon(self) -> list[QAction]:
        return [self.restore_action, self.delete_action, self.empty_action]

    def retranslate_ui(self) -> None:
        self.restore_action.setText(_tr("Restore"))
        self.restore_action.setToolTip(
            _tr("Put the selected items back where they were, with everything that went with them")
        )
        self.delete_action.setText(_tr("Delete Permanently"))
        self.empty_action.setText(_tr("Empty Deleted Items"))
        if not self._is_owner:
            for action in (self.delete_action, self.empty_action):
                action.setToolTip(_tr("Only the database owner can do this"))
        self.list.retranslate_ui()

    # -- the workspace protocol of MainWindow.add_workspace ----------------------------------

    def status_text(self) -> str:
        return self.list.status_text()

    def refresh(self) -> None:
        self.list.refresh()

    def save_state(self, settings: QSettings) -> None:
        self.list.save_state(settings, SETTINGS_PREFIX)

    def restore_state(self, settings: QSettings) -> None:
        self.list.restore_state(settings, SETTINGS_PREFIX)

    # -- commands ------------------------------------------------------------------------

    def restore_selected(self) -> None:
        """Restore the selected items in a worker thread (a bulk delete can be large)."""
        ids = self.list.selected_ids()
        if not ids or self._read_only or self._tasks:
            return
        service = self._service

        def done(result: object) -> None:
            self.refresh()
            self.records_restored.emit()
            if isinstance(result, RestoreResult) and result.refused:
                QMessageBox.information(
                    self,
                    _tr("Restore"),
                    count_text(
                        result.restored,
                        _tr("1 item was restored."),
                        _tr("{count} items were restored."),
                    )
                    + "\n\n"
                    + "\n".join(result.refused),
                )

        def failed(error: BaseException) -> None:
            show_error(self, error)
            self.refresh()

        task = BackgroundTask(self, _tr("Restoring…"), lambda: service.restore(ids), done, failed)
        self._tasks.append(task)
        task.finished.connect(lambda: (self._tasks.remove(task), self._update_actions()))
        self.restore_action.setEnabled(False)
        task.start()

    def delete_selected(self) -> None:
        ids = self.list.selected_ids()
        if not ids or not self._is_owner or self._read_only:
            return
        answer = QMessageBox.question(
            self,
            _tr("Delete Permanently"),
            _tr("Delete {count} items permanently? They cannot be restored afterwards.").format(
                count=f"{len(ids):,}"
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self._service.delete_permanently(ids)
        except DomainError as error:
            show_error(self, error)
        self.refresh()

    def empty(self) -> None:
        if not self._is_owner or self._read_only:
            return
        try:
            # Everything goes, not only the rows a search shows: say how many that is.
            count = self._service.count()
        except DomainError as error:
            show_error(self, error)
            return
        answer = QMessageBox.question(
            self,
            _tr("Empty Deleted Items"),
            _tr(
                "Permanently delete all {count} items in Deleted Items? "
                "They cannot be restored afterwards."
            ).format(count=f"{count:,}"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self._service.empty()
        except DomainError as error:
            show_error(self, error)
        self.refresh()

    def _on_status(self, text: str) -> None:
        self.status_changed.emit(text)

    def _update_actions(self, *_args: object) -> None:
        selected = self.list.view.selectionModel().hasSelection()
        writable = not self._read_only
        self.restore_action.setEnabled(writable and selected and not self._tasks)
        self.delete_action.setEnabled(writable and selected and self._is_owner)
        self.empty_action.setEnabled(writable and self._is_owner and self.list.model.rowCount() > 0)
