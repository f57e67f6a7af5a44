"""The opportunity form's Products and services section: the lines, their buttons and total.

The editor owns the lines while the form is open; the form reads them back with
:meth:`LinesEditor.lines` when it saves, and listens to :attr:`LinesEditor.changed` to update
the expected revenue as lines are added, edited, removed or moved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.entities import OpportunityLine, products_total
from ...domain.errors import DomainError
from ...services.catalog import CatalogService
from .. import formatting
from ..dialogs.product_dialog import ProductLineDialog
from ..widgets.column_model import ColumnTableModel

ModelIndex = QModelIndex | QPersistentModelIndex

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def _tr(text: str) -> str:
    return QCoreApplication.translate("LinesEditor", text)


class LinesTableModel(ColumnTableModel):
    """An opportunity's lines as rows: item, quantity, unit price, discount, line total.

    The model holds the list itself; every change goes through a method that brackets it with
    the matching begin/end calls, so views keep their selection and scroll position.
    """

    ITEM, QUANTITY, UNIT_PRICE, DISCOUNT, LINE_TOTAL = range(5)
    _ALIGNMENT = (_LEFT, _RIGHT, _RIGHT, _RIGHT, _RIGHT)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lines: list[OpportunityLine] = []

    # -- the list ------------------------------------------------------------------------

    def lines(self) -> list[OpportunityLine]:
        return list(self._lines)

    def line_at(self, row: int) -> OpportunityLine | None:
        return self._lines[row] if 0 <= row < len(self._lines) else None

    def set_lines(self, lines: list[OpportunityLine]) -> None:
        self.beginResetModel()
        try:
            self._lines = list(lines)
        finally:
            self.endResetModel()

    def insert_line(self, row: int, line: OpportunityLine) -> None:
        row = max(0, min(row, len(self._lines)))
        self.beginInsertRows(QModelIndex(), row, row)
        try:
            self._lines.insert(row, line)
        finally:
            self.endInsertRows()

    def replace_line(self, row: int, line: OpportunityLine) -> None:
        self._lines[row] = line
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def remove_line(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        try:
            del self._lines[row]
        finally:
            self.endRemoveRows()

    def move_line(self, row: int, to: int) -> bool:
        """Move the line at ``row`` so it ends up at ``to``; false if either is out of range."""
        count = len(self._lines)
        if row == to or not (0 <= row < count and 0 <= to < count):
            return False
        # Qt counts the destination before the move: one further when moving down.
        destination = to + 1 if to > row else to
        if not self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination):
            return False
        try:
            self._lines.insert(to, self._lines.pop(row))
        finally:
            self.endMoveRows()
        return True

    # -- Qt model interface --------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line = self.line_at(index.row())
        if line is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(line, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.ITEM:
                return line.description or None
            if column == self.DISCOUNT and line.discount_percent:
                return formatting.money(line.discount)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(self._ALIGNMENT[column].value)
        return None

    @classmethod
    def _display(cls, line: OpportunityLine, column: int) -> str:
        if column == cls.ITEM:
            return line.item_name
        if column == cls.QUANTITY:
            return formatting.quantity(line.quantity)
        if column == cls.UNIT_PRICE:
            return formatting.money(line.unit_price)
        if column == cls.DISCOUNT:
            if line.discount_percent:
                return f"{formatting.quantity(line.discount_percent)} %"
            return formatting.money(line.discount) if line.discount else ""
        return formatting.money(line.line_total)

    def _headers(self) -> tuple[str, ...]:
        return (
            _tr("Item"),
            _tr("Quantity"),
            _tr("Unit price"),
            _tr("Discount"),
            _tr("Line total"),
        )


class LinesEditor(QWidget):
    """The Products and services lines with Add, Edit, Remove, Move up, Move down and a total.

    ``changed`` is emitted after every change of the lines, including :meth:`set_lines`, so a
    form can keep one handler for loading and editing alike.
    """

    changed = Signal()

    def __init__(self, catalog: CatalogService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("linesEditor")
        self._catalog = catalog
        self._read_only = False

        self.model = LinesTableModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("linesTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setTabKeyNavigation(False)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(LinesTableModel.ITEM, QHeaderView.ResizeMode.Stretch)
        for column in range(1, self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        rows = self.view.verticalHeader().defaultSectionSize()
        self.view.setMinimumHeight(header.sizeHint().height() + rows * 4 + 4)
        self.view.installEventFilter(self)
        self.setFocusProxy(self.view)

        self.add_action = self._action("addLineAction", self.add_line)
        self.edit_action = self._action("editLineAction", self.edit_line)
        self.remove_action = self._action("removeLineAction", self.remove_line)
        self.up_action = self._action("moveLineUpAction", self.move_up)
        self.down_action = self._action("moveLineDownAction", self.move_down)
        self.add_button = self._button("addLineButton", self.add_action)
        self.edit_button = self._button("editLineButton", self.edit_action)
        self.remove_button = self._button("removeLineButton", self.remove_action)
        self.up_button = self._button("moveLineUpButton", self.up_action)
        self.down_button = self._button("moveLineDownButton", self.down_action)

        self.total_label = QLabel(self)
        self.total_label.setObjectName("linesTotal")
        self.total_label.setAlignment(_RIGHT)
        self.total_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bold = QFont(self.total_label.font())
        bold.setBold(True)
        self.total_label.setFont(bold)

        buttons = QVBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (
            self.add_button,
            self.edit_button,
            self.remove_button,
            self.up_button,
            self.down_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 0, 0)
        layout.addLayout(buttons, 0, 1)
        layout.addWidget(self.total_label, 1, 0)
        layout.setColumnStretch(0, 1)
        layout.setRowStretch(0, 1)

        self.view.doubleClicked.connect(self._on_double_clicked)
        self.view.selectionModel().selectionChanged.connect(self._update_actions)
        self.model.modelReset.connect(self._update_actions)
        self._retranslate_ui()
        self._update_total()

    def _action(self, name: str, slot: Callable[[], None]) -> QAction:
        action = QAction(self)
        action.setObjectName(name)
        action.triggered.connect(slot)
        self.view.addAction(action)
        return action

    def _button(self, name: str, action: QAction) -> QPushButton:
        button = QPushButton(self)
        button.setObjectName(name)
        button.clicked.connect(action.trigger)
        return button

    def _retranslate_ui(self) -> None:
        self.setAccessibleName(_tr("Products and services"))
        self.view.setAccessibleName(_tr("Products and services lines"))
        self.total_label.setAccessibleName(_tr("Products and services total"))
        texts = (
            (self.add_action, self.add_button, _tr("&Add…"), _tr("Add a product or service")),
            (self.edit_action, self.edit_button, _tr("&Edit…"), _tr("Edit the selected line")),
            (
                self.remove_action,
                self.remove_button,
                _tr("&Remove"),
                _tr("Remove the selected line (Delete)"),
            ),
            (
                self.up_action,
                self.up_button,
                _tr("Move &up"),
                _tr("Move the selected line up (Ctrl+Up)"),
            ),
            (
                self.down_action,
                self.down_button,
                _tr("Move dow&n"),
                _tr("Move the selected line down (Ctrl+Down)"),
            ),
        )
        for action, button, text, tip in texts:
            action.setText(text)
            action.setToolTip(tip)
            button.setText(text)
            button.setToolTip(tip)
            button.setAccessibleName(text.replace("&", "").rstrip("…"))
            button.setAccessibleDescription(tip)
        self._update_total()

    # -- API -----------------------------------------------------------------------------

    def set_lines(self, lines: list[OpportunityLine]) -> None:
        """Show ``lines`` (the editor keeps its own copy of the list)."""
        self.model.set_lines(lines)
        if lines:
            self._select(0)
        self._after_change()

    def lines(self) -> list[OpportunityLine]:
        """The lines in their current order."""
        return self.model.lines()

    def total(self) -> str:
        return self.total_label.text()

    def set_read_only(self, read_only: bool) -> None:
        """A closed record: the lines can be read and selected but not changed."""
        self._read_only = read_only
        self._update_actions()

    def is_read_only(self) -> bool:
        return self._read_only

    def current_row(self) -> int:
        """The selected row, or -1: buttons act on the selection, never on a hidden current."""
        rows = self.view.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    # -- actions -------------------------------------------------------------------------

    def add_line(self) -> None:
        if self._read_only:
            return
        line = self._ask(None)
        if line is None:
            return
        row = self.model.rowCount()
        self.model.insert_line(row, line)
        self._select(row)
        self._after_change()

    def edit_line(self) -> None:
        row = self.current_row()
        line = self.model.line_at(row)
        if self._read_only or line is None:
            return
        edited = self._ask(line)
        if edited is None or edited == line:
            return
        self.model.replace_line(row, edited)
        self._after_change()

    def remove_line(self) -> None:
        row = self.current_row()
        if self._read_only or self.model.line_at(row) is None:
            return
        self.model.remove_line(row)
        if self.model.rowCount():
            self._select(min(row, self.model.rowCount() - 1))
        self._after_change()

    def move_up(self) -> None:
        self._move(-1)

    def move_down(self) -> None:
        self._move(+1)

    def _move(self, step: int) -> None:
        row = self.current_row()
        if self._read_only or not self.model.move_line(row, row + step):
            return
        self._select(row + step)
        self._after_change()

    # -- Qt overrides --------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Keys on the table: Delete removes, Enter edits, Ctrl+Up/Down move the line."""
        if watched is self.view and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            ctrl = event.modifiers() == Qt.KeyboardModifier.ControlModifier
            handlers: dict[tuple[int, bool], QAction] = {
                (Qt.Key.Key_Delete, False): self.remove_action,
                (Qt.Key.Key_Return, False): self.edit_action,
                (Qt.Key.Key_Enter, False): self.edit_action,
                (Qt.Key.Key_Up, True): self.up_action,
                (Qt.Key.Key_Down, True): self.down_action,
            }
            action = handlers.get((key, ctrl))
            if action is not None:
                if action.isEnabled():
                    action.trigger()
                return True
        return super().eventFilter(watched, event)

    # -- internals -----------------------------------------------------------------------

    def _ask(self, line: OpportunityLine | None) -> OpportunityLine | None:
        """Run the "Add product or service" dialog; a catalog that cannot be read is told."""
        try:
            return ProductLineDialog.ask(self, self._catalog, line)
        except DomainError as error:
            QMessageBox.warning(self, _tr("Products and services"), error.message)
            return None

    def _on_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid() and self.edit_action.isEnabled():
            self._select(index.row())
            self.edit_line()

    def _select(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.scrollTo(index)

    def _after_change(self) -> None:
        self._update_total()
        self._update_actions()
        self.changed.emit()

    def _update_total(self) -> None:
        total = formatting.money(products_total(self.model.lines()))
        self.total_label.setText(_tr("Total: {total}").format(total=total))

    def _update_actions(self) -> None:
        row = self.current_row()
        has_line = self.model.line_at(row) is not None
        editable = not self._read_only
        self.add_action.setEnabled(editable)
        self.edit_action.setEnabled(editable and has_line)
        self.remove_action.setEnabled(editable and has_line)
        self.up_action.setEnabled(editable and has_line and row > 0)
        self.down_action.setEnabled(editable and has_line and row < self.model.rowCount() - 1)
        for action, button in (
            (self.add_action, self.add_button),
            (self.edit_action, self.edit_button),
            (self.remove_action, self.remove_button),
            (self.up_action, self.up_button),
            (self.down_action, self.down_button),
        ):
            button.setEnabled(action.isEnabled())
