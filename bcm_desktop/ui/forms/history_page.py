"""The History page of a record form: its communication history items (S-8).

New (a menu of the six kinds) creates an item linked to the record; double-click or Enter
opens one in its form; Delete moves it to Deleted Items after a confirmation; Show filters by
kind; clicking the Date header sorts oldest or newest first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.entities import HistoryItem, User
from ...domain.enums import HistoryKind
from ...domain.errors import DomainError
from ...domain.listing import HistoryListRow
from ...services.history import HistoryService
from .. import formatting
from ..errors import show_error
from .history_items import choose_new_file, edit_item, kind_name

ModelIndex = QModelIndex | QPersistentModelIndex
Opener = Callable[[QWidget, HistoryItem], object]


def _tr(text: str) -> str:
    return QCoreApplication.translate("HistoryPage", text)


def _kind_text(kind: str) -> str:
    try:
        return kind_name(HistoryKind(kind))
    except ValueError:
        return kind


class HistoryModel(QAbstractTableModel):
    """A record's history rows (a record has tens or hundreds, so they are held in full).

    Columns: Date, Kind, Subject. :meth:`sort` orders the rows it holds; the page keeps the
    header's sort order across refreshes.
    """

    DATE, KIND, SUBJECT = range(3)
    IdRole = Qt.ItemDataRole.UserRole

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[HistoryListRow] = []
        self._sort = (self.DATE, Qt.SortOrder.DescendingOrder)

    def set_rows(self, rows: list[HistoryListRow]) -> None:
        self.beginResetModel()
        try:
            self._rows = self._sorted(list(rows), *self._sort)
        finally:
            self.endResetModel()

    def row_at(self, row: int) -> HistoryListRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, item_id: int) -> int | None:
        return next((i for i, row in enumerate(self._rows) if row.id == item_id), None)

    def _sorted(
        self, rows: list[HistoryListRow], column: int, order: Qt.SortOrder
    ) -> list[HistoryListRow]:
        def key(row: HistoryListRow) -> tuple[object, ...]:
            if column == self.KIND:
                return (_kind_text(row.kind).casefold(), row.occurred_at, row.id)
            if column == self.SUBJECT:
                return (row.subject.casefold(), row.occurred_at, row.id)
            return (row.occurred_at, row.id)

        return sorted(rows, key=key, reverse=order == Qt.SortOrder.DescendingOrder)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < 3:
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        try:
            self._rows = self._sorted(self._rows, column, order)
        finally:
            self.layoutChanged.emit()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == self.IdRole:
            return row.id
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if index.column() == self.DATE:
            return formatting.short_datetime(row.occurred_at)
        if index.column() == self.KIND:
            return _kind_text(row.kind)
        return row.subject

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < 3
        ):
            return (_tr("Date"), _tr("Kind"), _tr("Subject"))[section]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )


NEW_KINDS = (
    HistoryKind.NOTE,
    HistoryKind.PHONE_LOG,
    HistoryKind.TASK,
    HistoryKind.EMAIL,
    HistoryKind.APPOINTMENT,
    HistoryKind.FILE,
)


class HistoryPage(QWidget):
    """Every history item linked to the record, with New, Open, Delete and a kind filter."""

    #: An item was added, opened (and maybe changed) or deleted here.
    changed = Signal()

    def __init__(
        self,
        history: HistoryService,
        parent: QWidget | None = None,
        *,
        opener: Opener | None = None,
        users: Callable[[], Sequence[User]] = lambda: (),
    ) -> None:
        super().__init__(parent)
        self.setObjectName("historyPage")
        self._history = history
        self._users = users
        self._record_id: int | None = None
        self._opener: Opener = opener or (
            lambda parent, item: edit_item(parent, history, item, users=self._users())
        )
        self.model = HistoryModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("historyView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setTabKeyNavigation(False)  # Tab leaves the list; arrows move in it
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.setSortingEnabled(True)
        header.setSortIndicator(HistoryModel.DATE, Qt.SortOrder.DescendingOrder)
        self.view.setColumnWidth(0, 140)
        self.view.setColumnWidth(1, 120)
        self.view.setAccessibleName(_tr("Communication history"))
        self.view.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.view.activated.connect(lambda index: self.open_row(index.row()))

        # New ▾ Business Note, Phone Log, Task, E-mail, Appointment, File
        self.new_menu = QMenu(self)
        self.new_menu.setObjectName("historyNewMenu")
        self.new_actions: dict[HistoryKind, QAction] = {}
        for kind in NEW_KINDS:
            action = self.new_menu.addAction("")
            action.setObjectName(f"newHistory_{kind.value}")
            action.triggered.connect(lambda _checked=False, k=kind: self.new_item(k))
            self.new_actions[kind] = action
        self.new_button = QToolButton(self)
        self.new_button.setObjectName("historyNew")
        self.new_button.setMenu(self.new_menu)
        self.new_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.new_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.open_button = QToolButton(self)
        self.open_button.setObjectName("historyOpen")
        self.open_button.clicked.connect(lambda _checked=False: self.open_current())
        self.delete_action = QAction(self)
        self.delete_action.setObjectName("historyDelete")
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.delete_action.triggered.connect(lambda _checked=False: self.delete_current())
        self.view.addAction(self.delete_action)
        self.delete_button = QToolButton(self)
        self.delete_button.setObjectName("historyDeleteButton")
        self.delete_button.setDefaultAction(self.delete_action)
        self.filter_label = QLabel(self)
        self.filter_combo = QComboBox(self)
        self.filter_combo.setObjectName("historyFilter")
        self.filter_combo.addItem("", None)
        for kind in NEW_KINDS:
            self.filter_combo.addItem("", kind.value)
        self.filter_label.setBuddy(self.filter_combo)
        self.filter_combo.currentIndexChanged.connect(lambda _index: self.refresh())

        bar = QHBoxLayout()
        bar.addWidget(self.new_button)
        bar.addWidget(self.open_button)
        bar.addWidget(self.delete_button)
        bar.addStretch(1)
        bar.addWidget(self.filter_label)
        bar.addWidget(self.filter_combo)

        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("historyEmpty")
        self.empty_label.setStyleSheet("color:#777")
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_label)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.retranslate_ui()
        self._update_buttons()

    def retranslate_ui(self) -> None:
        self.new_button.setText(_tr("&New"))
        self.new_button.setToolTip(_tr("Create a history item linked to this record"))
        names = {
            HistoryKind.NOTE: _tr("Business &Note"),
            HistoryKind.PHONE_LOG: _tr("&Phone Log"),
            HistoryKind.TASK: _tr("&Task"),
            HistoryKind.EMAIL: _tr("&E-mail"),
            HistoryKind.APPOINTMENT: _tr("&Appointment"),
            HistoryKind.FILE: _tr("&File…"),
        }
        for kind, action in self.new_actions.items():
            action.setText(names[kind])
        self.open_button.setText(_tr("&Open"))
        self.open_button.setToolTip(_tr("Open the selected item (Enter)"))
        self.delete_action.setText(_tr("&Delete"))
        self.delete_action.setToolTip(_tr("Delete the selected item (Del)"))
        self.filter_label.setText(_tr("Sho&w:"))
        self.filter_combo.setItemText(0, _tr("All items"))
        for row, kind in enumerate(NEW_KINDS, start=1):
            self.filter_combo.setItemText(row, kind_name(kind))
        self.filter_combo.setAccessibleName(_tr("Show items of kind"))

    # -- state ---------------------------------------------------------------------------

    def set_record(self, opportunity_id: int | None) -> None:
        self._record_id = opportunity_id
        self.refresh()

    def kind_filter(self) -> HistoryKind | None:
        value = self.filter_combo.currentData()
        return HistoryKind(value) if value else None

    def set_kind_filter(self, kind: HistoryKind | None) -> None:
        self.filter_combo.setCurrentIndex(max(self.filter_combo.findData(kind and kind.value), 0))

    def refresh(self, select_id: int | None = None) -> None:
        """Read the items again (keeping the selected one, or selecting ``select_id``)."""
        current = self.current_row()
        keep = select_id if select_id is not None else (current.id if current else None)
        kind = self.kind_filter()
        rows = self._rows(self._record_id, kind) if self._record_id else []
        self.model.set_rows(rows)
        row = self.model.row_of(keep) if keep is not None else None
        if row is not None:
            self.view.selectRow(row)
        if rows:
            text = ""
        elif not self._record_id:
            text = self._unsaved_text()
        elif kind is not None:
            text = _tr("No items of this kind. Choose “All items” in Show to see the others.")
        else:
            text = self._none_yet_text()
        self.empty_label.setText(text)
        self.empty_label.setVisible(bool(text))
        self._update_buttons()

    # -- what a page for another kind of record changes ------------------------------------

    def _rows(self, record_id: int, kind: HistoryKind | None) -> list[HistoryListRow]:
        return self._history.for_opportunity(record_id, kind)

    def _unsaved_text(self) -> str:
        return _tr("Save the opportunity to see its history here.")

    def _none_yet_text(self) -> str:
        return _tr("No history items are linked to this opportunity yet. Use New to add one.")

    def current_row(self) -> HistoryListRow | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        saved = self._record_id is not None
        self.new_button.setEnabled(saved)
        selected = self.current_row() is not None
        self.open_button.setEnabled(selected)
        self.delete_action.setEnabled(selected)

    # -- commands ------------------------------------------------------------------------

    def new_item(self, kind: HistoryKind) -> HistoryItem | None:
        """New → kind: a form for an item linked to this record; the item saved, or None."""
        if self._record_id is None:
            return None
        item = HistoryItem(kind, "", opportunity_id=self._record_id)
        content = None
        if kind is HistoryKind.FILE:
            chosen = choose_new_file(self)
            if chosen is None:
                return None
            path, content = chosen
            item = HistoryItem(
                kind,
                path.name,
                file_name=path.name,
                file_size=len(content),
                opportunity_id=self._record_id,
            )
        saved = edit_item(self, self._history, item, users=self._users(), content=content)
        if saved is not None:
            self.refresh(select_id=saved.id)
            self.changed.emit()
        return saved

    def open_row(self, row: int) -> None:
        entry = self.model.row_at(row)
        if entry is None:
            return
        try:
            item = self._history.get(entry.id)
        except DomainError as error:
            show_error(self, error)
            self.refresh()
            return
        saved = self._opener(self, item)
        self.refresh(select_id=entry.id)
        if saved is not None:  # cancelled: nothing changed, nobody needs to read again
            self.changed.emit()

    def open_current(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if rows:
            self.open_row(rows[0].row())

    def delete_current(self) -> bool:
        """Delete the selected item after a confirmation; True when it was deleted."""
        entry = self.current_row()
        if entry is None:
            return False
        answer = QMessageBox.question(
            self,
            _tr("Delete history item"),
            _tr(
                "Delete the {kind} “{subject}”? It goes to Deleted Items, where it can be restored."
            ).format(kind=_kind_text(entry.kind).lower(), subject=entry.subject),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            item = self._history.get(entry.id)
            self._history.delete(entry.id, item.version)
        except DomainError as error:
            show_error(self, error)
            self.refresh()
            return False
        self.refresh()
        self.changed.emit()
        return True
