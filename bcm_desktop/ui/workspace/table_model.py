"""A lazy, paged table model over a list query: knows its row count, fetches pages on demand.

The model never holds all rows. It asks its source for the row count once per filter or sort,
and for a page of rows when the view paints one it has not seen; pages live in a small LRU
cache, each row preformatted, so ``data()`` is a dictionary lookup and an index. Sorting and
filtering are the source's job (SQL on an index), never a proxy model's.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

Row = TypeVar("Row")
Filter = TypeVar("Filter")
Order = TypeVar("Order")

ModelIndex = QModelIndex | QPersistentModelIndex


class PageSource(Protocol[Row, Filter, Order]):
    """What a paged model reads from: a service on the read side."""

    def count(self, flt: Filter) -> int: ...

    def page(self, flt: Filter, order: Order, offset: int, limit: int, total: int) -> list[Row]: ...


@dataclass(frozen=True)
class Column(Generic[Row]):
    """A table column: a stable key, a header title, how to show a row, and alignment."""

    key: str
    title: Callable[[], str]
    display: Callable[[Row], str]
    alignment: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


_ID_ROLE = Qt.ItemDataRole.UserRole


class PagedTableModel(QAbstractTableModel, Generic[Row, Filter, Order]):
    """Rows of a :class:`PageSource`, fetched ``page_size`` at a time and cached."""

    count_changed = Signal(int)

    def __init__(
        self,
        source: PageSource[Row, Filter, Order],
        columns: Sequence[Column[Row]],
        flt: Filter,
        order: Order,
        row_id: Callable[[Row], int],
        *,
        page_size: int = 128,
        cached_pages: int = 32,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._columns = list(columns)
        self._filter = flt
        self._order = order
        self._row_id = row_id
        self._page_size = page_size
        self._cached_pages = cached_pages
        self._pages: OrderedDict[int, list[tuple[Row, tuple[str, ...]]]] = OrderedDict()
        self._count = source.count(flt)

    # -- state ---------------------------------------------------------------------------

    @property
    def filter(self) -> Filter:
        return self._filter

    @property
    def order(self) -> Order:
        return self._order

    @property
    def columns(self) -> list[Column[Row]]:
        return list(self._columns)

    def set_query(self, flt: Filter, order: Order) -> None:
        """Show the rows of another filter and/or sort order (one count query, no rows)."""
        self.beginResetModel()
        try:
            self._filter = flt
            self._order = order
            self._pages.clear()
            self._count = self._source.count(flt)
        finally:
            self.endResetModel()
        self.count_changed.emit(self._count)

    def refresh(self) -> None:
        """Re-read after a change: the same filter and sort, fresh count and pages."""
        self.set_query(self._filter, self._order)

    def row(self, row: int) -> Row | None:
        """The row record at ``row``, fetching its page if needed."""
        entry = self._entry(row)
        return None if entry is None else entry[0]

    def id_at(self, row: int) -> int | None:
        entry = self._entry(row)
        return None if entry is None else self._row_id(entry[0])

    def shown_ids(self, offset: int, limit: int) -> list[int] | None:
        """The ids of rows ``offset`` to ``offset + limit`` as the view last read them, or
        ``None`` when some of those rows were never read (then only the source can say)."""
        end = min(offset + limit, self._count)
        if offset < 0 or offset >= end:
            return []
        ids: list[int] = []
        first, last = offset // self._page_size, (end - 1) // self._page_size
        for number in range(first, last + 1):
            page = self._pages.get(number)
            if page is None:
                return None
            start = number * self._page_size
            for index in range(max(offset - start, 0), min(end - start, len(page))):
                ids.append(self._row_id(page[index][0]))
        return ids if len(ids) == end - offset else None

    def cached_page_count(self) -> int:
        return len(self._pages)

    def _entry(self, row: int) -> tuple[Row, tuple[str, ...]] | None:
        if not 0 <= row < self._count:
            return None
        number, offset = divmod(row, self._page_size)
        page = self._pages.get(number)
        if page is None:
            page = self._load(number)
        else:
            self._pages.move_to_end(number)
        return page[offset] if offset < len(page) else None

    def _load(self, number: int) -> list[tuple[Row, tuple[str, ...]]]:
        rows = self._source.page(
            self._filter, self._order, number * self._page_size, self._page_size, self._count
        )
        page = [(row, tuple(column.display(row) for column in self._columns)) for row in rows]
        self._pages[number] = page
        while len(self._pages) > self._cached_pages:
            self._pages.popitem(last=False)
        return page

    # -- Qt model interface --------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            entry = self._entry(index.row())
            return None if entry is None else entry[1][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if not index.isValid():
                return None
            return int(self._columns[index.column()].alignment.value)
        if role == _ID_ROLE:
            return self.id_at(index.row())
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self._columns[section].title()
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(self._columns[section].alignment.value)
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
