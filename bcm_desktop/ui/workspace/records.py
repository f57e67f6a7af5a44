"""A record list for every table but opportunities: search, filters, the lazy table, a reading pane.

Accounts, business contacts, projects, project tasks and marketing activities are shown with the
same machinery as the Sales workspace: :class:`RecordTableModel` is a
:class:`~.table_model.PagedTableModel` over a
:class:`~bcm_desktop.repository.record_queries.RecordQueries` source, sorted in SQL when a header is
clicked; :class:`RecordListView` puts a debounced search box and optional filter widgets above it,
and a reading pane beside it that follows the current row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ...domain.listing import RecordFilter, RecordOrder, RecordRow
from .header import FastHeader
from .table_model import Column, PagedTableModel, PageSource

ROW_HEIGHT = 24
SEARCH_DELAY_MS = 250

RecordSource = PageSource[RecordRow, RecordFilter, RecordOrder]


def _tr(text: str) -> str:
    return QCoreApplication.translate("RecordListView", text)


def count_text(count: int, one: str, many: str) -> str:
    """``one`` for a single record, else ``many`` with ``{count}`` as a grouped number."""
    return one if count == 1 else many.format(count=f"{count:,}")


def value_column(
    index: int,
    key: str,
    title: Callable[[], str],
    show: Callable[[Any], str] = lambda value: "" if value is None else str(value),
    alignment: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
) -> Column[RecordRow]:
    """A column showing ``row.values[index]`` through ``show`` (formatting ``None`` as empty)."""
    return Column(key, title, lambda row: show(row.values[index]), alignment)


class RecordTableModel(PagedTableModel[RecordRow, RecordFilter, RecordOrder]):
    """Rows of one record list, sorted in SQL by the clicked column."""

    def __init__(
        self,
        source: RecordSource,
        columns: Sequence[Column[RecordRow]],
        order: RecordOrder,
        parent: QObject | None = None,
        *,
        flt: RecordFilter | None = None,
    ) -> None:
        super().__init__(
            source, columns, flt or RecordFilter(), order, lambda row: row.id, parent=parent
        )

    def section_of(self, key: str) -> int:
        return [column.key for column in self.columns].index(key)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Qt's sort request (header click): re-query sorted in SQL."""
        if not 0 <= column < self.columnCount():
            return
        new_order = RecordOrder(self.columns[column].key, order == Qt.SortOrder.DescendingOrder)
        if new_order != self.order:
            self.set_query(self.filter, new_order)

    def set_filter(self, flt: RecordFilter) -> None:
        if flt != self.filter:
            self.set_query(flt, self.order)

    def row_of(self, record_id: int) -> int | None:
        """The row of ``record_id`` among the cached pages (None when not loaded)."""
        for number, page in self._pages.items():
            for offset, (row, _texts) in enumerate(page):
                if row.id == record_id:
                    return number * self._page_size + offset
        return None


class RecordListView(QWidget):
    """Search box, filter widgets, the record table and an optional reading pane."""

    open_requested = Signal(int)
    current_changed = Signal(object)  # the current record's id, or None
    status_changed = Signal(str)

    def __init__(
        self,
        source: RecordSource,
        columns: Sequence[Column[RecordRow]],
        order: RecordOrder,
        parent: QWidget | None = None,
        *,
        object_name: str = "recordList",
        describe: Callable[[int], str] | None = None,
        noun: Callable[[int], str] | None = None,
        widths: dict[str, int] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self._describe = describe
        self._noun = noun or (lambda n: count_text(n, _tr("1 record"), _tr("{count} records")))
        self.model = RecordTableModel(source, columns, order, self)

        self.search = QLineEdit(self)
        self.search.setObjectName(f"{object_name}Search")
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.flush_search)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self.flush_search)

        self._filters = QHBoxLayout()
        self._filters.setContentsMargins(0, 0, 0, 0)
        self._search_label = QLabel(self)
        self._search_label.setBuddy(self.search)
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 4, 6, 4)
        bar.addWidget(self._search_label)
        bar.addWidget(self.search, 2)
        bar.addLayout(self._filters)
        bar.addStretch(1)

        self.view = QTableView(self)
        self.view.setObjectName(f"{object_name}View")
        self.view.setHorizontalHeader(FastHeader(self.view))
        self.view.setModel(self.model)
        self._configure_view(widths or {})

        self.reading_pane: QTextBrowser | None = None
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName(f"{object_name}Splitter")
        self.splitter.addWidget(self.view)
        if describe is not None:
            self.reading_pane = QTextBrowser(self)
            self.reading_pane.setObjectName(f"{object_name}ReadingPane")
            self.reading_pane.setOpenLinks(False)
            self.splitter.addWidget(self.reading_pane)
            self.splitter.setStretchFactor(0, 3)
            self.splitter.setStretchFactor(1, 1)
            self.splitter.setSizes([800, 300])
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)

        selection = self.view.selectionModel()
        selection.currentRowChanged.connect(self._on_current_row)
        selection.selectionChanged.connect(self._emit_status)
        self.model.modelReset.connect(self._on_reset)
        self.model.count_changed.connect(self._emit_status)
        self.view.doubleClicked.connect(self._open_index)
        self.view.activated.connect(self._open_index)
        self.retranslate_ui()
        self._show_current(None)

    def _configure_view(self, widths: dict[str, int]) -> None:
        view = self.view
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.setShowGrid(False)
        view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vertical = view.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(ROW_HEIGHT)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionsMovable(True)
        header.setStretchLastSection(True)
        for key, width in widths.items():
            header.resizeSection(self.model.section_of(key), width)
        order = self.model.order
        # The indicator first: enabling sorting sorts by whatever the indicator shows.
        header.setSortIndicator(
            self.model.section_of(order.column),
            Qt.SortOrder.DescendingOrder if order.descending else Qt.SortOrder.AscendingOrder,
        )
        view.setSortingEnabled(True)

    def retranslate_ui(self) -> None:
        self._search_label.setText(_tr("&Search:"))
        self.search.setPlaceholderText(_tr("Type to search"))
        self.search.setAccessibleName(_tr("Search"))
        self.view.setAccessibleName(_tr("Records"))
        if self.reading_pane is not None:
            self.reading_pane.setAccessibleName(_tr("Reading pane"))
        self._emit_status()

    # -- filters -------------------------------------------------------------------------

    def add_filter_widget(self, label: str, widget: QWidget) -> None:
        """Put a labeled filter widget (a combo, say) after the search box."""
        caption = QLabel(label, self)
        caption.setBuddy(widget)
        self._filters.addSpacing(12)
        self._filters.addWidget(caption)
        self._filters.addWidget(widget)

    def set_equals(self, key: str, value: object | None) -> None:
        """Filter on ``key`` = ``value``, or drop that filter when ``value`` is None."""
        self.model.set_filter(self.model.filter.with_equals(key, value))

    def flush_search(self) -> None:
        """Apply the search text now (Enter, or when the typing pause is over)."""
        self._search_timer.stop()
        self.model.set_filter(self.model.filter.with_search(self.search.text()))

    # -- reading -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the list after a change, keeping the current record when it is still listed."""
        current = self.current_id()
        self.model.refresh()
        if current is not None:
            self.select_id(current)

    def select_id(self, record_id: int) -> bool:
        """Make ``record_id`` current when it is among the loaded rows."""
        for row in range(min(self.model.rowCount(), 2048)):
            if self.model.id_at(row) == record_id:
                index = self.model.index(row, 0)
                self.view.selectionModel().setCurrentIndex(
                    index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
                return True
        return False

    def current_id(self) -> int | None:
        index = self.view.currentIndex()
        return self.model.id_at(index.row()) if index.isValid() else None

    def selected_ids(self) -> list[int]:
        """The ids of the selected rows, in row order."""
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        ids = [self.model.id_at(row) for row in rows]
        return [record_id for record_id in ids if record_id is not None]

    def status_text(self) -> str:
        count = self.model.rowCount()
        selected = len(self.view.selectionModel().selectedRows())
        text = self._noun(count)
        if selected:
            text += " · " + _tr("{count} selected").format(count=f"{selected:,}")
        return text

    def _emit_status(self, *_args: object) -> None:
        self.status_changed.emit(self.status_text())

    def _on_reset(self) -> None:
        self._show_current(None)

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_current(self.model.id_at(current.row()) if current.isValid() else None)

    def _show_current(self, record_id: int | None) -> None:
        if self.reading_pane is not None and self._describe is not None:
            if record_id is None:
                self.reading_pane.setHtml(
                    "<p style='color: gray'>" + _tr("Select a record to read it here.") + "</p>"
                )
            else:
                self.reading_pane.setHtml(self._describe(record_id))
        self.current_changed.emit(record_id)

    def _open_index(self, index: QModelIndex) -> None:
        record_id = self.model.id_at(index.row()) if index.isValid() else None
        if record_id is not None:
            self.open_requested.emit(record_id)

    # -- state ---------------------------------------------------------------------------

    def save_state(self, settings: QSettings, prefix: str | None = None) -> None:
        """Save column order, widths, sort and the pane split under ``prefix``
        (default: ``lists/<object name>``)."""
        prefix = prefix or f"lists/{self.objectName()}"
        settings.setValue(f"{prefix}/header", self.view.horizontalHeader().saveState())
        settings.setValue(f"{prefix}/splitter", self.splitter.saveState())

    def restore_state(self, settings: QSettings, prefix: str | None = None) -> None:
        prefix = prefix or f"lists/{self.objectName()}"
        splitter = settings.value(f"{prefix}/splitter")
        if isinstance(splitter, QByteArray | bytes) and splitter:
            self.splitter.restoreState(QByteArray(splitter))
        state = settings.value(f"{prefix}/header")
        if isinstance(state, QByteArray | bytes) and state:
            header = self.view.horizontalHeader()
            if header.restoreState(QByteArray(state)):
                self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
