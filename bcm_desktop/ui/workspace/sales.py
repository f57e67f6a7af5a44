"""The Sales workspace: the Opportunities tab with its lazy, SQL-sorted table."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.listing import OpportunityColumn
from ...services.listing import OpportunityListing
from .opportunity_model import OpportunityTableModel

ROW_HEIGHT = 24


def _tr(text: str) -> str:
    return QCoreApplication.translate("SalesWorkspace", text)


class SalesWorkspace(QWidget):
    """Navigation pane → Sales: tabs of record lists, starting with Opportunities."""

    status_changed = Signal(str)

    def __init__(self, listing: OpportunityListing, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("salesWorkspace")
        self._listing = listing
        self.model = OpportunityTableModel(listing, self)
        self.view = QTableView(self)
        self.view.setObjectName("opportunitiesView")
        self.view.setModel(self.model)
        self._configure_view()
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("salesTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.view, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.model.count_changed.connect(self._emit_status)
        self.view.selectionModel().selectionChanged.connect(self._emit_status)
        self.retranslate_ui()

    def _configure_view(self) -> None:
        view = self.view
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.setShowGrid(False)
        view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vertical = view.verticalHeader()
        vertical.setVisible(False)
        # Fixed row heights: the view never measures rows, so a million cost nothing.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(ROW_HEIGHT)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        widths = {
            OpportunityColumn.TITLE: 260,
            OpportunityColumn.LINK: 200,
            OpportunityColumn.ASSIGNED_TO: 130,
            OpportunityColumn.STAGE: 120,
            OpportunityColumn.PROBABILITY: 80,
            OpportunityColumn.EXPECTED_REVENUE: 120,
            OpportunityColumn.CLOSE_DATE: 90,
            OpportunityColumn.TYPE: 120,
            OpportunityColumn.SOURCE: 120,
        }
        for column, width in widths.items():
            header.resizeSection(self.model.section_of(column), width)
        view.setSortingEnabled(True)
        order = self.model.order
        header.setSortIndicator(
            self.model.section_of(order.column),
            Qt.SortOrder.DescendingOrder if order.descending else Qt.SortOrder.AscendingOrder,
        )
        view.setAccessibleName(_tr("Opportunities"))

    def retranslate_ui(self) -> None:
        self.tabs.setTabText(0, _tr("Opportunities"))
        self.view.setAccessibleName(_tr("Opportunities"))
        self._emit_status()

    def refresh(self) -> None:
        """Re-read the list (after a change elsewhere), keeping filter and sort."""
        self.model.refresh()

    def status_text(self) -> str:
        count = self.model.rowCount()
        selected = len(self.view.selectionModel().selectedRows()) if count else 0
        text = _tr("{count} opportunities").format(count=f"{count:,}")
        if selected:
            text += " · " + _tr("{selected} selected").format(selected=f"{selected:,}")
        return text

    def _emit_status(self, *_args: object) -> None:
        self.status_changed.emit(self.status_text())

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("sales/opportunitiesHeader", self.view.horizontalHeader().saveState())

    def restore_state(self, settings: QSettings) -> None:
        state = settings.value("sales/opportunitiesHeader")
        if isinstance(state, QByteArray | bytes) and state:
            header = self.view.horizontalHeader()
            if header.restoreState(QByteArray(state)):
                self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
