"""The History page of a record form: its communication history items, newest first."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ...domain.entities import HistoryItem
from ...domain.listing import HistoryListRow
from ...services.history import HistoryService
from .. import formatting
from ..workspace.reading_pane import HISTORY_KINDS

ModelIndex = QModelIndex | QPersistentModelIndex


def _tr(text: str) -> str:
    return QCoreApplication.translate("HistoryPage", text)


class HistoryModel(QAbstractTableModel):
    """A record's history rows (a record has tens or hundreds, so they are held in full)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[HistoryListRow] = []

    def set_rows(self, rows: list[HistoryListRow]) -> None:
        self.beginResetModel()
        try:
            self._rows = list(rows)
        finally:
            self.endResetModel()

    def row_at(self, row: int) -> HistoryListRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self._rows[index.row()]
        if index.column() == 0:
            return formatting.short_datetime(row.occurred_at)
        if index.column() == 1:
            return _tr(HISTORY_KINDS.get(row.kind, row.kind))
        return row.subject

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (_tr("Date"), _tr("Kind"), _tr("Subject"))[section]
        return None


class HistoryItemViewer(QDialog):
    """Shows one history item read-only."""

    def __init__(self, item: HistoryItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyItemViewer")
        kind = _tr(HISTORY_KINDS.get(item.kind.value, item.kind.value))
        self.setWindowTitle(f"{kind}: {item.subject}")
        form = QFormLayout()
        form.addRow(_tr("Subject:"), QLabel(item.subject, self))
        form.addRow(_tr("Date:"), QLabel(formatting.short_datetime(item.occurred_at), self))
        if item.email_from:
            form.addRow(_tr("From:"), QLabel(item.email_from, self))
        if item.email_to:
            form.addRow(_tr("To:"), QLabel(item.email_to, self))
        if item.location:
            form.addRow(_tr("Location:"), QLabel(item.location, self))
        if item.file_name:
            form.addRow(_tr("File:"), QLabel(item.file_name, self))
        body = QTextBrowser(self)
        body.setObjectName("historyItemBody")
        body.setPlainText(item.body)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(body, 1)
        layout.addWidget(buttons)
        self.resize(520, 400)


class HistoryPage(QWidget):
    """Every history item linked to the record; double-click or Enter opens one."""

    def __init__(
        self,
        history: HistoryService,
        parent: QWidget | None = None,
        *,
        opener: Callable[[QWidget, HistoryItem], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("historyPage")
        self._history = history
        self._record_id: int | None = None
        self._opener = opener or (lambda parent, item: HistoryItemViewer(item, parent).exec())
        self.model = HistoryModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("historyView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.setColumnWidth(0, 140)
        self.view.setColumnWidth(1, 120)
        self.view.setAccessibleName(_tr("Communication history"))
        self.view.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.view.activated.connect(lambda index: self.open_row(index.row()))
        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("historyEmpty")
        self.empty_label.setStyleSheet("color:#777")
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_label)

    def set_record(self, opportunity_id: int | None) -> None:
        self._record_id = opportunity_id
        self.refresh()

    def refresh(self) -> None:
        rows = self._history.for_opportunity(self._record_id) if self._record_id else []
        self.model.set_rows(rows)
        self.empty_label.setText(
            ""
            if rows
            else _tr("No history items are linked to this opportunity yet.")
            if self._record_id
            else _tr("Save the opportunity to see its history here.")
        )
        self.empty_label.setVisible(not rows)

    def open_row(self, row: int) -> None:
        entry = self.model.row_at(row)
        if entry is not None:
            self._opener(self, self._history.get(entry.id))
