"""The lists an account or contact form shows: its contacts, its opportunities, its history.

A record has tens of these, rarely hundreds, so each small model holds its rows in full and
sorts them in memory (the record lists of the workspace are the ones that page through SQL).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from ...domain.contacts import RelatedContact, RelatedOpportunity
from ...domain.entities import User
from ...domain.enums import HistoryKind, StageKind
from ...domain.listing import HistoryListRow
from ...services.history import HistoryService
from .. import formatting
from ..widgets.column_model import ColumnTableModel, ModelIndex
from .history_page import HistoryPage

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
RowIdRole = Qt.ItemDataRole.UserRole


def _tr(text: str) -> str:
    return QCoreApplication.translate("RelatedTables", text)


class RelatedContactsModel(ColumnTableModel):
    """An account's business contacts: name, job title, business phone, e-mail."""

    _ALIGNMENT = (LEFT, LEFT, LEFT, LEFT)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[RelatedContact] = []

    def _headers(self) -> tuple[str, ...]:
        return (_tr("Full name"), _tr("Job title"), _tr("Business phone"), _tr("E-mail"))

    def set_rows(self, rows: Sequence[RelatedContact]) -> None:
        self.beginResetModel()
        try:
            self._rows = list(rows)
        finally:
            self.endResetModel()

    def row_id(self, row: int) -> int | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.full_name, row.job_title, row.business_phone, row.email)[index.column()]
        if role == RowIdRole:
            return row.id
        return None


class RelatedOpportunitiesModel(ColumnTableModel):
    """A record's opportunities: title, stage, probability, total, expected revenue, close."""

    _ALIGNMENT = (LEFT, LEFT, RIGHT, RIGHT, RIGHT, LEFT)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[RelatedOpportunity] = []
        self._cells: list[tuple[str, ...]] = []

    def _headers(self) -> tuple[str, ...]:
        return (
            _tr("Title"),
            _tr("Sales stage"),
            _tr("Probability"),
            _tr("Total"),
            _tr("Expected revenue"),
            _tr("Close date"),
        )

    def set_rows(self, rows: Sequence[RelatedOpportunity]) -> None:
        locale = QLocale()
        self.beginResetModel()
        try:
            self._rows = list(rows)
            self._cells = [
                (
                    row.title,
                    row.stage,
                    formatting.percent(row.probability, locale),
                    formatting.money(row.products_total, locale),
                    formatting.money(row.expected_revenue, locale),
                    formatting.short_date(row.close_date, locale),
                )
                for row in self._rows
            ]
        finally:
            self.endResetModel()

    def row_id(self, row: int) -> int | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(self._ALIGNMENT[index.column()].value)
        if role == Qt.ItemDataRole.ForegroundRole:
            status = self._rows[index.row()].status
            if status is StageKind.WON:
                return Qt.GlobalColor.darkGreen
            if status is StageKind.LOST:
                return Qt.GlobalColor.darkRed
            return None
        if role == RowIdRole:
            return self._rows[index.row()].id
        return None


def record_table(
    parent: QWidget, name: str, model: ColumnTableModel, open_row: Callable[[int], None]
) -> QTableView:
    """A read-only table of whole rows; double-click or Enter opens the row's record."""
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(22)
    view.setMinimumHeight(110)  # the header and four rows; the page grows it when it can
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    header.setDefaultSectionSize(130)
    view.doubleClicked.connect(lambda index: open_row(index.row()))
    view.activated.connect(lambda index: open_row(index.row()))
    return view


class RecordHistoryPage(HistoryPage):
    """The History page of an account or contact: its own items and those of its
    opportunities (S-1.2). Items are made from an opportunity or imported, so there is no
    New; Show filters by kind, Open (double-click, Enter) and Delete work on the selection."""

    def __init__(
        self,
        history: HistoryService,
        load: Callable[[int, HistoryKind | None], list[HistoryListRow]],
        empty_text: str,
        parent: QWidget | None = None,
        *,
        users: Callable[[], Sequence[User]] = lambda: (),
    ) -> None:
        super().__init__(history, parent, users=users)
        self._load = load
        self._empty_text = empty_text
        self.new_button.hide()

    def _rows(self, record_id: int, kind: HistoryKind | None) -> list[HistoryListRow]:
        return self._load(record_id, kind)

    def _unsaved_text(self) -> str:
        return _tr("Save the record to see its history here.")

    def _none_yet_text(self) -> str:
        return self._empty_text
