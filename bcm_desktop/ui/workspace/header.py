"""A horizontal header that paints without asking the selection model anything.

``QHeaderView`` asks the selection model, for every visible section and every repaint,
whether the whole column is selected. With "select all" over a million rows that question
walks the selection and takes seconds (PERFORMANCE.md: 15–18 s at 1M). This header draws
its sections itself with the style, so painting costs the same whatever is selected.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QHeaderView, QStyle, QStyleOptionHeader, QWidget


class FastHeader(QHeaderView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setHighlightSections(False)
        self.setSectionsClickable(True)

    def paintEvent(self, event: QPaintEvent) -> None:
        model = self.model()
        if model is None or self.count() == 0:
            super().paintEvent(event)
            return
        painter = QPainter(self.viewport())
        try:
            self._paint_sections(painter, event.rect())
        finally:
            painter.end()

    def _paint_sections(self, painter: QPainter, area: QRect) -> None:
        model = self.model()
        first = self.visualIndexAt(area.left())
        last = self.visualIndexAt(area.right())
        first = 0 if first < 0 else first
        last = self.count() - 1 if last < 0 else last
        height = self.viewport().height()
        for visual in range(first, last + 1):
            logical = self.logicalIndex(visual)
            if self.isSectionHidden(logical):
                continue
            rect = QRect(
                self.sectionViewportPosition(logical), 0, self.sectionSize(logical), height
            )
            option = QStyleOptionHeader()
            option.initFrom(self)
            option.rect = rect
            option.section = logical
            option.text = str(model.headerData(logical, Qt.Orientation.Horizontal) or "")
            alignment = model.headerData(
                logical, Qt.Orientation.Horizontal, Qt.ItemDataRole.TextAlignmentRole
            )
            option.textAlignment = (
                Qt.AlignmentFlag(alignment) if alignment is not None else self.defaultAlignment()
            )
            option.orientation = Qt.Orientation.Horizontal
            # Styles lay out the label and the sort arrow by these flags, as QHeaderView sets.
            option.state |= QStyle.StateFlag.State_Horizontal | QStyle.StateFlag.State_Raised
            if self.isEnabled():
                option.state |= QStyle.StateFlag.State_Enabled
            if self.isSortIndicatorShown() and self.sortIndicatorSection() == logical:
                # Qt draws ascending as SortDown (and descending as SortUp).
                option.sortIndicator = (
                    QStyleOptionHeader.SortIndicator.SortDown
                    if self.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
                    else QStyleOptionHeader.SortIndicator.SortUp
                )
            option.position = (
                QStyleOptionHeader.SectionPosition.OnlyOneSection
                if self.count() == 1
                else QStyleOptionHeader.SectionPosition.Beginning
                if visual == 0
                else QStyleOptionHeader.SectionPosition.End
                if visual == self.count() - 1
                else QStyleOptionHeader.SectionPosition.Middle
            )
            self.style().drawControl(QStyle.ControlElement.CE_Header, option, painter, self)
        # The empty area right of the last section, as QHeaderView draws it.
        end = self.sectionViewportPosition(self.logicalIndex(self.count() - 1))
        end += self.sectionSize(self.logicalIndex(self.count() - 1))
        if end < self.viewport().width():
            option = QStyleOptionHeader()
            option.initFrom(self)
            option.rect = QRect(end, 0, self.viewport().width() - end, height)
            option.orientation = Qt.Orientation.Horizontal
            option.state |= QStyle.StateFlag.State_Horizontal
            self.style().drawControl(
                QStyle.ControlElement.CE_HeaderEmptyArea, option, painter, self
            )
