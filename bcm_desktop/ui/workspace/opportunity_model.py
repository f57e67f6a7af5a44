"""The Opportunities table: the columns of the Sales workspace over the paged model."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, QObject, Qt

from ...domain.listing import (
    OpportunityColumn,
    OpportunityFilter,
    OpportunityListRow,
    SortOrder,
)
from ...services.listing import OpportunityListing
from .. import formatting
from .table_model import Column, PagedTableModel

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _tr(text: str) -> str:
    return QCoreApplication.translate("OpportunityTableModel", text)


def opportunity_columns(locale: QLocale | None = None) -> list[Column[OpportunityListRow]]:
    """The columns in their default order; keys are ``OpportunityColumn`` values."""
    loc = locale or QLocale()
    c = OpportunityColumn
    return [
        Column(c.TITLE, lambda: _tr("Title"), lambda r: r.title),
        Column(c.LINK, lambda: _tr("Account or contact"), lambda r: r.link_name),
        Column(c.ASSIGNED_TO, lambda: _tr("Assigned to"), lambda r: r.assigned_to),
        Column(c.STAGE, lambda: _tr("Sales stage"), lambda r: r.stage),
        Column(
            c.PROBABILITY,
            lambda: _tr("Probability"),
            lambda r: formatting.percent(r.probability, loc),
            RIGHT,
        ),
        Column(
            c.EXPECTED_REVENUE,
            lambda: _tr("Expected revenue"),
            lambda r: formatting.money(r.expected_revenue, loc),
            RIGHT,
        ),
        Column(
            c.CLOSE_DATE,
            lambda: _tr("Close date"),
            lambda r: formatting.short_date(r.close_date, loc),
        ),
        Column(c.TYPE, lambda: _tr("Type"), lambda r: r.type),
        Column(c.SOURCE, lambda: _tr("Source"), lambda r: r.source),
        Column(
            c.MODIFIED,
            lambda: _tr("Modified"),
            lambda r: formatting.short_datetime(r.modified_at, loc),
        ),
    ]


class OpportunityTableModel(PagedTableModel[OpportunityListRow, OpportunityFilter, SortOrder]):
    """Opportunities matching a filter, sorted in SQL by any column."""

    def __init__(self, listing: OpportunityListing, parent: QObject | None = None) -> None:
        super().__init__(
            listing,
            opportunity_columns(),
            OpportunityFilter(),
            SortOrder(),
            lambda row: row.id,
            parent=parent,
        )
        self._listing = listing

    def column_key(self, section: int) -> OpportunityColumn:
        return OpportunityColumn(self.columns[section].key)

    def section_of(self, column: OpportunityColumn) -> int:
        return [c.key for c in self.columns].index(column.value)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Qt's sort request (header click): re-query sorted in SQL."""
        if not 0 <= column < self.columnCount():
            return
        new_order = SortOrder(self.column_key(column), order == Qt.SortOrder.DescendingOrder)
        if new_order != self.order:
            self.set_query(self.filter, new_order)

    def set_filter(self, flt: OpportunityFilter) -> None:
        if flt != self.filter:
            self.set_query(flt, self.order)

    def refresh(self) -> None:
        self._listing.invalidate()
        super().refresh()
